#pragma once
// The session name resolver's datagrams (UDP, default port 31527): a query names a session; the
// sender answers only for sessions it runs, with the control port and data group.
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace castline::multicast {

struct ResolverQuery {
    std::string name;
};
struct ResolverAnswer {
    std::string name;
    std::uint16_t control_port = 0;
    std::uint32_t group = 0;  // IPv4, host order
    std::uint16_t data_port = 0;
};
struct ResolverError {
    std::string reason;
};

std::vector<std::uint8_t> encode_resolver(const ResolverQuery& q);
std::vector<std::uint8_t> encode_resolver(const ResolverAnswer& a);
std::variant<ResolverQuery, ResolverAnswer, ResolverError> decode_resolver(
    std::span<const std::uint8_t> bytes);

}  // namespace castline::multicast
