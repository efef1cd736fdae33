#pragma once
// One plain HTTP/1.1 request and its answer, for castline's own clients of castlined (the
// castline command line and the netbooted imager). Blocking, bounded by `timeout`.
#include <chrono>
#include <string>

namespace castline {

struct HttpAnswer {
    int status = 0;
    std::string body;
};

// Throws boost::system::system_error when the server cannot be reached or the exchange fails.
HttpAnswer http_request(const std::string& host, const std::string& port, const std::string& method,
                        const std::string& target, const std::string& body,
                        std::chrono::seconds timeout, const std::string& user_agent);

}  // namespace castline
