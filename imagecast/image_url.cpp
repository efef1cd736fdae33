#include "imagecast/image_url.hpp"

#include <algorithm>

namespace castline::imagecast {
namespace {

bool host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
}

// What may stand in a path here without percent-encoding: castlined's paths are names and hex
// tokens, so anything else is more likely a pasting mistake than a real path.
bool path_char(char c) {
    return host_char(c) || c == '/' || c == '~' || c == '%' || c == '+' || c == '=' || c == ':' ||
           c == '@';
}

}  // namespace

std::variant<ImageUrl, std::string> parse_image_url(std::string_view text) {
    constexpr std::string_view scheme = "http://";
    if (text.substr(0, scheme.size()) != scheme)
        return std::string(
            "expected a URL starting with http:// (https is not served by castlined)");
    auto rest = text.substr(scheme.size());
    const auto slash = rest.find('/');
    const auto authority = rest.substr(0, slash);
    ImageUrl url;
    const auto colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (url.host.empty()) return std::string("host: missing");
    if (!std::all_of(url.host.begin(), url.host.end(), host_char))
        return "host: '" + url.host + "' is not a host name or IPv4 address";
    if (colon != std::string_view::npos) {
        const auto port = authority.substr(colon + 1);
        unsigned value = 0;
        const bool digits =
            !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), [&](char c) {
                value = value * 10 + static_cast<unsigned>(c - '0');
                return c >= '0' && c <= '9';
            });
        if (!digits || value == 0 || value > 65535)
            return "port: '" + std::string(port) + "' is not 1..65535";
        url.port = std::string(port);
    }
    if (slash == std::string_view::npos) return std::string("path: missing, expected /PATH");
    auto path = rest.substr(slash);
    while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    for (std::size_t i = 0; i < path.size(); ++i)
        if (!path_char(path[i]))
            return "path: character " + std::to_string(i + 1) +
                   " is not allowed (query strings, fragments, spaces and control characters "
                   "are not)";
    if (path == "/") return std::string("path: missing, expected /PATH");
    url.path = std::string(path);
    return url;
}

}  // namespace castline::imagecast
