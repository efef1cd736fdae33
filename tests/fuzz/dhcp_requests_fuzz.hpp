#pragma once
// A fuzz input as the requests that reach a DHCP responder, in order: records of a control
// byte, a u16 length (little-endian) and that many packet bytes, until the input ends.
// Control bits: 1 arrived on port 4011 (else 67); 2 from 198.18.0.77 (else 0.0.0.0); 4..16 the
// clock moves on by (bits 2-4) * 20 s first (offers are held 30 s); 32 on an interface without
// a pool. The site is tests/dhcp/requests.hpp's: pools on lab0 and for a relay, two hosts.
#include <cstdint>
#include <functional>
#include <span>

#include "dhcp/message.hpp"
#include "dhcp/reply.hpp"
#include "tests/dhcp/requests.hpp"

namespace castline::fuzz {

inline void for_each_request(
    const std::uint8_t* data, std::size_t size,
    const std::function<void(const dhcp::Message&, const dhcp::RequestContext&)>& respond) {
    auto context = dhcp::test::context_on();
    std::size_t at = 0;
    while (at + 3 <= size) {
        const std::uint8_t control = data[at];
        const std::size_t length =
            std::min<std::size_t>(data[at + 1] | std::size_t{data[at + 2]} << 8, size - at - 3);
        const std::span<const std::uint8_t> packet(data + at + 3, length);
        at += 3 + length;
        context.local_port = control & 1 ? dhcp::pxe_port : dhcp::server_port;
        context.source_address = control & 2 ? Ipv4Address{0xc612004d} : Ipv4Address{};
        context.source_port = control & 1 ? dhcp::pxe_port : dhcp::client_port;
        context.now += ((control >> 2) & 7) * 20;
        context.interface = control & 32 ? "lab1" : "lab0";
        const auto decoded = dhcp::decode(packet);
        if (decoded.message) respond(*decoded.message, context);
    }
}

// What every reply must be: a BOOTREPLY to the request's transaction that encodes and decodes.
inline void check_reply(const dhcp::Message& request, const dhcp::Reply& reply) {
    const auto& m = reply.message;
    if (m.op != dhcp::op_reply || m.xid != request.xid || m.chaddr != request.chaddr)
        __builtin_trap();
    const auto again = dhcp::decode(dhcp::encode(m));
    if (!again.message || again.message->type() != m.type() || !m.type()) __builtin_trap();
}

}  // namespace castline::fuzz
