#include "multicast/session_address.hpp"

#include <cctype>
#include <charconv>

#include "multicast/control.hpp"

namespace castline::multicast {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view s) {
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v == 0 || v > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

// "server" or "server:port"
std::variant<SessionAddress, AddressError> parse_server(std::string_view text, SessionAddress a) {
    const auto colon = text.rfind(':');
    std::string_view host = text;
    if (colon != std::string_view::npos) {
        host = text.substr(0, colon);
        const auto port = parse_port(text.substr(colon + 1));
        if (!port)
            return AddressError{"resolver port '" + std::string(text.substr(colon + 1)) +
                                "' is not 1..65535"};
        a.resolver_port = *port;
    }
    if (host.empty()) return AddressError{"server is empty"};
    for (char c : host) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
            return AddressError{"server '" + std::string(host) + "' has an invalid character"};
    }
    a.server = host;
    return a;
}

AddressError check_name(std::string_view name) {
    if (name.empty()) return {"session name is empty"};
    if (name.size() > max_name_length) return {"session name is longer than 255 bytes"};
    return {};
}

}  // namespace

std::variant<SessionAddress, AddressError> parse_session_address(std::string_view text) {
    constexpr std::string_view scheme = "castline://";
    if (text.starts_with(scheme)) {
        text.remove_prefix(scheme.size());
        const auto slash = text.find('/');
        if (slash == std::string_view::npos)
            return AddressError{"missing '/NAME' after the server"};
        const auto name = text.substr(slash + 1);
        if (auto e = check_name(name); !e.reason.empty()) return e;
        SessionAddress a;
        a.name = name;
        return parse_server(text.substr(0, slash), a);
    }
    if (text.starts_with("\\\\\\")) {
        text.remove_prefix(3);
        // server[:resolverport] * tcpport * sessionname * password
        std::string_view parts[4];
        std::size_t count = 0;
        while (count < 3) {
            const auto star = text.find('*');
            if (star == std::string_view::npos) break;
            parts[count++] = text.substr(0, star);
            text.remove_prefix(star + 1);
        }
        parts[count++] = text;
        if (count < 3) return AddressError{"expected \\\\\\server*tcpport*sessionname*password"};
        SessionAddress a;
        if (!parts[1].empty()) {
            const auto port = parse_port(parts[1]);
            if (!port)
                return AddressError{"tcp port '" + std::string(parts[1]) + "' is not 1..65535"};
            a.control_port = *port;
        }
        if (auto e = check_name(parts[2]); !e.reason.empty()) return e;
        a.name = parts[2];
        if (count == 4 && !parts[3].empty()) a.password = std::string(parts[3]);
        return parse_server(parts[0], a);
    }
    return AddressError{"session address must start with castline:// or \\\\\\"};
}

}  // namespace castline::multicast
