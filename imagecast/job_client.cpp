#include "imagecast/job_client.hpp"

#include <algorithm>
#include <boost/system/system_error.hpp>
#include <charconv>
#include <cstdio>
#include <thread>

namespace castline::imagecast {

JobClient::JobClient(const std::string& server, std::string token) : token_(std::move(token)) {
    const auto colon = server.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == server.size())
        throw JobServerError("'" + server + "' is not HOST:PORT");
    host_ = server.substr(0, colon);
    port_ = server.substr(colon + 1);
    if (token_.empty() || token_.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw JobServerError("'" + token_ + "' is not a job token (hex digits)");
}

HttpAnswer JobClient::request(const std::string& method, const std::string& target,
                              const std::string& body, std::chrono::seconds timeout) {
    return http_request(host_, port_, method, target, body, timeout, "castline-imager");
}

static std::chrono::seconds retry_delay(const std::string& retry_after) {
    int seconds = 5;
    const auto [end, ec] =
        std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds);
    if (ec != std::errc() || end != retry_after.data() + retry_after.size()) seconds = 5;
    return std::chrono::seconds(std::clamp(seconds, 1, 30));
}

nlohmann::json JobClient::fetch(std::chrono::seconds patience,
                                std::chrono::seconds validation_patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    const auto validation_deadline = std::chrono::steady_clock::now() + validation_patience;
    const std::string where = "castlined at " + host_ + ":" + port_;
    for (;;) {
        try {
            const auto r = request("GET", "/api/v1/jobs/" + token_, "", std::chrono::seconds(10));
            auto body = nlohmann::json::parse(r.body, nullptr, false);
            if (r.status == 200 && body.is_object()) return body;
            const auto message =
                body.is_object() && body.contains("error") && body["error"].is_string()
                    ? body["error"].get<std::string>()
                    : "answered " + std::to_string(r.status);
            if (r.status == 503) {
                const auto now = std::chrono::steady_clock::now();
                if (now >= validation_deadline)
                    throw JobServerError(where + " is still not ready after " +
                                         std::to_string(validation_patience.count()) +
                                         " s: " + message);
                const auto wait = std::min<std::chrono::steady_clock::duration>(
                    retry_delay(r.retry_after), validation_deadline - now);
                std::fprintf(
                    stderr, "job: %s: %s; asking again in %lld s\n", where.c_str(), message.c_str(),
                    static_cast<long long>(std::chrono::ceil<std::chrono::seconds>(wait).count()));
                std::this_thread::sleep_for(wait);
                continue;
            }
            throw JobServerError(where + " refused the job: " + message);
        } catch (const boost::system::system_error& e) {
            if (std::chrono::steady_clock::now() >= deadline)
                throw JobServerError("cannot reach " + where + ": " + e.code().message());
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    }
}

std::string report_body(const nlohmann::json& report) {
    return report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool JobClient::report_progress(const nlohmann::json& progress) {
    try {
        return request("POST", "/api/v1/jobs/" + token_ + "/progress", report_body(progress),
                       std::chrono::seconds(2))
                   .status == 204;
    } catch (const boost::system::system_error&) {
        return false;
    }
}

bool JobClient::report_result(const nlohmann::json& result) {
    for (int attempt = 0; attempt < 5; ++attempt) {
        try {
            const auto r = request("POST", "/api/v1/jobs/" + token_ + "/result",
                                   report_body(result), std::chrono::seconds(5));
            return r.status == 204;
        } catch (const boost::system::system_error&) {
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    }
    return false;
}

}  // namespace castline::imagecast
