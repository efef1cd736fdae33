#pragma once
// JSON answers and query strings shared by castlined's HTTP APIs (operator and job endpoints).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "daemon/http_router.hpp"

namespace castline::daemon {

// `value` as JSON text. Strings that are not UTF-8 (a file's bytes, a request path) have each bad
// byte replaced by U+FFFD instead of throwing: the answer goes out, the process stays up.
std::string json_text(const nlohmann::json& value, int indent = 2);

HttpStringResponse json_response(const HttpRequest& request, http::status status,
                                 const nlohmann::json& body);
// {"error": message}
HttpStringResponse error_response(const HttpRequest& request, http::status status,
                                  const std::string& message);
// The value of `key` in the query string, undecoded (names and MACs need no escaping).
std::string query_value(std::string_view target, std::string_view key);

}  // namespace castline::daemon
