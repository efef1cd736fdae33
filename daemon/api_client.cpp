#include "daemon/api_client.hpp"

#include <boost/system/system_error.hpp>
#include <charconv>

#include "common/http_client.hpp"

namespace castline::cli {

ApiEndpoint ApiEndpoint::parse(const std::string& text) {
    ApiEndpoint endpoint;
    const auto colon = text.rfind(':');
    const std::string port_text = colon == std::string::npos ? text : text.substr(colon + 1);
    if (colon != std::string::npos) endpoint.host = text.substr(0, colon);
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
        port == 0 || port > 65535 || endpoint.host.empty())
        throw ApiError("'" + text + "' is not an API address, expected HOST:PORT or PORT");
    endpoint.port = static_cast<std::uint16_t>(port);
    return endpoint;
}

ApiResponse api_request(const ApiEndpoint& endpoint, const std::string& method,
                        const std::string& target) {
    std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
    if (!endpoint.origin.empty()) where += " (from " + endpoint.origin + ")";
    try {
        const auto answer = http_request(endpoint.host, std::to_string(endpoint.port), method,
                                         target, "", std::chrono::seconds(10), "castline");
        return {answer.status, answer.body};
    } catch (const boost::system::system_error& e) {
        throw ApiError("cannot reach castlined's API at " + where + ": " + e.code().message() +
                       ", is castlined running?");
    }
}

}  // namespace castline::cli
