#pragma once
// Where a receiver finds its session: castline://SERVER[:RESOLVERPORT]/NAME, or TeraByte's
// \\\SERVER[:RESOLVERPORT]*TCPPORT*NAME*PASSWORD (an empty TCPPORT asks the resolver).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/multicast_defaults.hpp"

namespace castline::multicast {

struct SessionAddress {
    std::string server;  // IPv4 dotted quad or host name
    std::uint16_t resolver_port = multicast_defaults::resolver_port;
    std::uint16_t control_port = 0;  // 0: ask the resolver
    std::string name;
    std::optional<std::string> password;  // TeraByte form carries it inline
};

struct AddressError {
    std::string reason;
};

std::variant<SessionAddress, AddressError> parse_session_address(std::string_view text);

}  // namespace castline::multicast
