#include <doctest/doctest.h>

#include "dhcp/reply.hpp"
#include "requests.hpp"

using namespace castline;
using namespace castline::dhcp;

namespace {
Ipv4Address ip(const char* text) {
    return *Ipv4Address::parse(text);
}
}  // namespace

TEST_CASE("the skeleton mirrors xid, flags, chaddr and giaddr") {
    auto request = test::request(MessageType::discover);
    request.flags = flag_broadcast;
    request.giaddr = ip("198.19.5.1");
    request.hops = 2;
    const auto reply = reply_skeleton(request, MessageType::offer);
    CHECK(reply.op == op_reply);
    CHECK(reply.xid == request.xid);
    CHECK(reply.flags == flag_broadcast);
    CHECK(reply.chaddr == request.chaddr);
    CHECK(reply.giaddr == request.giaddr);
    CHECK(reply.hops == 0);
    CHECK(reply.type() == MessageType::offer);
}

TEST_CASE("RFC 2131 4.1 destinations") {
    auto request = test::request(MessageType::request);
    auto ack = reply_skeleton(request, MessageType::ack);
    // no address yet: broadcast
    auto r = addressed(request, ack);
    CHECK(r.destination == limited_broadcast);
    CHECK(r.port == client_port);
    // renewing client: unicast to ciaddr
    request.ciaddr = ip("198.18.0.100");
    r = addressed(request, ack);
    CHECK(r.destination == request.ciaddr);
    // NAK: broadcast even with ciaddr
    r = addressed(request, reply_skeleton(request, MessageType::nak));
    CHECK(r.destination == limited_broadcast);
    // relayed: to the relay's server port; a NAK gets the broadcast bit for the relay
    request.giaddr = ip("198.19.5.1");
    r = addressed(request, ack);
    CHECK(r.destination == request.giaddr);
    CHECK(r.port == server_port);
    CHECK_FALSE(r.message.broadcast_flag());
    r = addressed(request, reply_skeleton(request, MessageType::nak));
    CHECK(r.message.broadcast_flag());
}

TEST_CASE("option 82 is echoed unchanged and last, and only when the request had it") {
    auto request = test::request(MessageType::discover);
    auto reply = reply_skeleton(request, MessageType::offer);
    echo_relay_information(request, reply);
    CHECK_FALSE(reply.options.has(option::relay_agent_information));
    request.options.set(option::relay_agent_information, {1, 1, 'x'});
    reply.options.set(option::relay_agent_information, {9});  // a stale one goes
    reply.options.set_u32(option::lease_time, 60);
    echo_relay_information(request, reply);
    CHECK(reply.options.all().back().code == option::relay_agent_information);
    CHECK(reply.options.all().back().value == std::vector<std::uint8_t>{1, 1, 'x'});
}
