#pragma once
// Plain HTTP/1.1 requests to castlined, for castline's own clients (the castline command line
// and the netbooted imager). Blocking, each bounded by its timeout.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace castline {

struct HttpAnswer {
    int status = 0;
    std::string body;
    std::string retry_after;  // the Retry-After header, empty when there is none
};

// One keep-alive connection for many requests to one server (an image's chunks); it reconnects
// when the server has closed it between requests.
class HttpConnection {
  public:
    HttpConnection(std::string host, std::string port, std::string user_agent,
                   std::size_t max_body = 64 << 20);
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    // Throws boost::system::system_error when the server cannot be reached or the exchange fails
    // (the connection is then dropped; the next request connects again).
    HttpAnswer request(const std::string& method, const std::string& target,
                       const std::string& body, std::chrono::seconds timeout);

  private:
    struct Stream;
    std::string host_, port_, user_agent_;
    std::size_t max_body_;
    std::unique_ptr<Stream> stream_;
};

// One request on a connection of its own.
HttpAnswer http_request(const std::string& host, const std::string& port, const std::string& method,
                        const std::string& target, const std::string& body,
                        std::chrono::seconds timeout, const std::string& user_agent);

}  // namespace castline
