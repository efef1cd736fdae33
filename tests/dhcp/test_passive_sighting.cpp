#include <doctest/doctest.h>

#include "dhcp/passive_sighting.hpp"
#include "requests.hpp"

using namespace castline;
using namespace castline::dhcp;

namespace {
Message ack_for(const char* mac, const char* yiaddr, const char* server = "198.18.0.2") {
    auto m = test::request(MessageType::ack, mac);
    m.op = op_reply;
    if (yiaddr) m.yiaddr = *Ipv4Address::parse(yiaddr);
    if (server) m.options.set_address(option::server_identifier, *Ipv4Address::parse(server));
    return m;
}
}  // namespace

TEST_CASE("a PXE client's request becomes a client record with every fact") {
    const auto s = judge_sighting(test::pxe_request(MessageType::request, 7), "lab0", 500);
    REQUIRE(s.client);
    CHECK_FALSE(s.grant);
    CHECK(s.client->mac.to_string() == "52:54:00:00:00:01");
    CHECK(s.client->architecture == 7);
    CHECK(s.client->vendor_class == "PXEClient:Arch:00007:UNDI:002001");
    CHECK(s.client->uuid == "a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf");
    CHECK(s.client->interface == "lab0");
    CHECK(s.client->last_seen == 500);
    CHECK_FALSE(s.client->address);
}

TEST_CASE("HTTP boot clients are recorded; plain clients and malformed PXE options are not") {
    auto http = test::request(MessageType::discover);
    http.options.set_string(option::vendor_class, "HTTPClient:Arch:00016:UNDI:003001");
    CHECK(judge_sighting(http, "lab0", 1).client);

    auto plain = test::request(MessageType::discover);
    plain.options.set_string(option::vendor_class, "udhcp 1.35.0");
    const auto s = judge_sighting(plain, "lab0", 1);
    CHECK_FALSE(s.client);
    CHECK_FALSE(s.grant);
    CHECK(s.ignored == "not a PXE or HTTP boot client");

    auto bad = test::pxe_request(MessageType::discover, 0);
    bad.options.set(option::client_architecture, {0});  // 93 of odd length
    CHECK_FALSE(judge_sighting(bad, "lab0", 1).client);
}

TEST_CASE("an ACK with yiaddr grants the address, with the server from option 54") {
    const auto s = judge_sighting(ack_for("52:54:00:00:00:09", "198.18.0.120"), "lab0", 1);
    REQUIRE(s.grant);
    CHECK_FALSE(s.client);
    CHECK(s.grant->mac.to_string() == "52:54:00:00:00:09");
    CHECK(s.grant->address.to_string() == "198.18.0.120");
    CHECK(s.grant->server == Ipv4Address::parse("198.18.0.2"));
    const auto no_server =
        judge_sighting(ack_for("52:54:00:00:00:09", "198.18.0.120", nullptr), "lab0", 1);
    REQUIRE(no_server.grant);
    CHECK_FALSE(no_server.grant->server);
}

TEST_CASE("OFFERs, NAKs, proxy ACKs without yiaddr and BOOTP are not grants") {
    auto offer = ack_for("52:54:00:00:00:09", "198.18.0.120");
    offer.options.set_u8(option::message_type, static_cast<std::uint8_t>(MessageType::offer));
    CHECK(judge_sighting(offer, "lab0", 1).ignored == "OFFER from a server");
    auto nak = ack_for("52:54:00:00:00:09", nullptr);
    nak.options.set_u8(option::message_type, static_cast<std::uint8_t>(MessageType::nak));
    CHECK(judge_sighting(nak, "lab0", 1).ignored == "NAK from a server");
    const auto proxy = judge_sighting(ack_for("52:54:00:00:00:09", nullptr), "lab0", 1);
    CHECK_FALSE(proxy.grant);
    CHECK(proxy.ignored == "ACK without yiaddr (INFORM or proxyDHCP answer)");
    auto bootp = ack_for("52:54:00:00:00:09", "198.18.0.120");
    bootp.options.erase(option::message_type);
    CHECK(judge_sighting(bootp, "lab0", 1).ignored == "no message type (BOOTP)");
    auto token_ring = ack_for("52:54:00:00:00:09", "198.18.0.120");
    token_ring.htype = 6;
    CHECK(judge_sighting(token_ring, "lab0", 1).ignored == "ACK without an Ethernet chaddr");
}

TEST_CASE("a REQUEST that takes an offer tells the address, also where the ACK is unicast") {
    // iPXE takes dnsmasq's offer with a broadcast REQUEST; dnsmasq's ACK goes to the client alone.
    auto taking = test::pxe_request(MessageType::request, 0);
    taking.options.set_address(option::requested_address, *Ipv4Address::parse("198.18.0.163"));
    taking.options.set_address(option::server_identifier, *Ipv4Address::parse("198.18.0.2"));
    const auto s = judge_sighting(taking, "br0", 9);
    REQUIRE(s.client);
    REQUIRE(s.grant);
    CHECK(s.grant->mac.to_string() == "52:54:00:00:00:01");
    CHECK(s.grant->address.to_string() == "198.18.0.163");
    CHECK(s.grant->server->to_string() == "198.18.0.2");
    CHECK(requested_grant(taking) == s.grant);

    // Renewing (no 54), a DISCOVER asking for an address, and a request for 0.0.0.0 tell nothing.
    auto renewing = test::pxe_request(MessageType::request, 0);
    renewing.options.set_address(option::requested_address, *Ipv4Address::parse("198.18.0.163"));
    CHECK_FALSE(requested_grant(renewing));
    auto discover = test::pxe_request(MessageType::discover, 0);
    discover.options.set_address(option::requested_address, *Ipv4Address::parse("198.18.0.163"));
    discover.options.set_address(option::server_identifier, *Ipv4Address::parse("198.18.0.2"));
    CHECK_FALSE(requested_grant(discover));
    auto zero = taking;
    zero.options.set_address(option::requested_address, Ipv4Address{0});
    CHECK_FALSE(requested_grant(zero));
}
