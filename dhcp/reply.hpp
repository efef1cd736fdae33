#pragma once
// What a responder is told about a request's arrival, what it answers, and the RFC 2131 rules for
// where an answer goes. Shared by the proxy and full responders.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ipv4_address.hpp"
#include "dhcp/message.hpp"

namespace castline::dhcp {

inline constexpr std::uint16_t server_port = 67;
inline constexpr std::uint16_t client_port = 68;
inline constexpr std::uint16_t pxe_port = 4011;
inline constexpr Ipv4Address limited_broadcast{0xffffffff};

struct RequestContext {
    std::string interface;          // where the request arrived
    Ipv4Network interface_network;  // our address there and its prefix; the address is our id
    std::uint16_t local_port = server_port;  // 67 or 4011
    Ipv4Address source_address;
    std::uint16_t source_port = client_port;
    std::int64_t now = 0;  // Unix seconds
    Ipv4Address server() const { return interface_network.address; }
};

struct Reply {
    Message message;
    Ipv4Address destination;
    std::uint16_t port = client_port;
};

// A BOOTREPLY that mirrors the request's xid, flags, chaddr and giaddr, with option 53 set.
Message reply_skeleton(const Message& request, MessageType type);

// Adds the request's option 82 unchanged as the reply's last option (RFC 3046 2.2).
void echo_relay_information(const Message& request, Message& reply);

// RFC 2131 4.1: to the relay (giaddr:67) when relayed; NAK broadcast; to ciaddr when the client
// has an address; otherwise broadcast (castline never unicasts to an address the client does not
// hold yet, which would need an ARP entry injected for it).
Reply addressed(const Message& request, Message reply);

}  // namespace castline::dhcp
