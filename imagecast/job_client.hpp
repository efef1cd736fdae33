#pragma once
// The imager's side of docs/jobs.md: fetch the job, report progress and the result, over plain
// HTTP/1.1 to castlined's boot HTTP server (castline.server=HOST:PORT).
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "common/http_client.hpp"

namespace castline::imagecast {

struct JobServerError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The body of a progress or result report. Its texts come from the disk and the kernel (a model
// name, an error message) and may hold any bytes: those that are not UTF-8 become U+FFFD, so a
// report is never lost to the encoder.
std::string report_body(const nlohmann::json& report);

class JobClient {
  public:
    // `server` is HOST:PORT. Throws JobServerError when it is malformed.
    JobClient(const std::string& server, std::string token);

    // Asks until castlined answers (the network may come up slowly), at most `patience`; while
    // castlined answers 503 (it is validating the image) asks again after its Retry-After
    // (1 to 30 s), at most `validation_patience` in all. Throws JobServerError with castlined's
    // own message when it refuses the job or the waits run out.
    nlohmann::json fetch(std::chrono::seconds patience,
                         std::chrono::seconds validation_patience = std::chrono::minutes(30));
    // Best effort with a short timeout: false when castlined could not be told.
    bool report_progress(const nlohmann::json& progress);
    bool report_result(const nlohmann::json& result);

  private:
    HttpAnswer request(const std::string& method, const std::string& target,
                       const std::string& body, std::chrono::seconds timeout);

    std::string host_, port_, token_;
};

}  // namespace castline::imagecast
