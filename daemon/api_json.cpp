#include "daemon/api_json.hpp"

namespace castline::daemon {

HttpStringResponse json_response(const HttpRequest& request, http::status status,
                                 const nlohmann::json& body) {
    // Bodies echo request paths and names, which are any bytes: invalid UTF-8 becomes U+FFFD
    // instead of an exception that would end castlined.
    return http_text_response(
        request, status, body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
        "application/json");
}

HttpStringResponse error_response(const HttpRequest& request, http::status status,
                                  const std::string& message) {
    return json_response(request, status, {{"error", message}});
}

std::string query_value(std::string_view target, std::string_view key) {
    const auto query_start = target.find('?');
    if (query_start == std::string_view::npos) return {};
    auto query = target.substr(query_start + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        if (pair.starts_with(key) && pair.size() > key.size() && pair[key.size()] == '=')
            return std::string(pair.substr(key.size() + 1));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

}  // namespace castline::daemon
