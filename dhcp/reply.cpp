#include "dhcp/reply.hpp"

namespace castline::dhcp {

Message reply_skeleton(const Message& request, MessageType type) {
    Message reply;
    reply.op = op_reply;
    reply.htype = request.htype;
    reply.hlen = request.hlen;
    reply.xid = request.xid;
    reply.flags = request.flags;
    reply.giaddr = request.giaddr;
    reply.chaddr = request.chaddr;
    reply.options.set_u8(option::message_type, static_cast<std::uint8_t>(type));
    return reply;
}

void echo_relay_information(const Message& request, Message& reply) {
    reply.options.erase(option::relay_agent_information);
    if (const auto* v = request.options.find(option::relay_agent_information))
        reply.options.set(option::relay_agent_information, *v);
}

Reply addressed(const Message& request, Message reply) {
    const bool nak = reply.type() == MessageType::nak;
    if (!request.giaddr.is_zero()) {
        // The relay must broadcast a NAK: the client may hold no usable address.
        if (nak) reply.flags |= flag_broadcast;
        return {std::move(reply), request.giaddr, server_port};
    }
    if (!nak && !request.ciaddr.is_zero()) return {std::move(reply), request.ciaddr, client_port};
    return {std::move(reply), limited_broadcast, client_port};
}

}  // namespace castline::dhcp
