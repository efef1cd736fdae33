#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "dhcp/client_options.hpp"
#include "dhcp/full_responder.hpp"
#include "requests.hpp"

using namespace castline;
using namespace castline::dhcp;
using namespace castline::dhcp::test;

namespace {
Ipv4Address ip(const char* text) {
    return *Ipv4Address::parse(text);
}

struct Fixture {
    config::SiteConfig config = site(config::DhcpMode::full);
    LeaseTable leases;
    FullDhcpResponder responder{config, leases};
    RequestContext context = context_on();

    FullOutcome send(const Message& m) { return responder.respond(m, context); }
    // DISCOVER then REQUEST (SELECTING) for `mac`; returns the bound address.
    Ipv4Address dora(const char* mac) {
        const auto offer = send(request(MessageType::discover, mac));
        REQUIRE(offer.reply);
        auto req = request(MessageType::request, mac);
        req.options.set_address(option::server_identifier, server);
        req.options.set_address(option::requested_address, offer.reply->message.yiaddr);
        const auto ack = send(req);
        REQUIRE(ack.reply);
        REQUIRE(ack.reply->message.type() == MessageType::ack);
        return ack.reply->message.yiaddr;
    }
};
}  // namespace

TEST_CASE("DISCOVER gets an OFFER with every configured option") {
    Fixture f;
    const auto out = f.send(request(MessageType::discover));
    REQUIRE(out.reply);
    const auto& r = out.reply->message;
    CHECK(r.type() == MessageType::offer);
    CHECK(r.yiaddr == ip("198.18.0.100"));
    CHECK(r.options.address(option::server_identifier) == server);
    CHECK(r.options.u32(option::lease_time) == 600);
    CHECK(r.options.u32(option::renewal_time) == 300);
    CHECK(r.options.u32(option::rebinding_time) == 525);
    CHECK(r.options.address(option::subnet_mask) == ip("255.255.255.0"));
    CHECK(r.options.address(option::router) == server);
    CHECK(r.options.address(option::dns_servers) == server);
    CHECK(r.options.string(option::domain_name) == "lab.test");
    CHECK(r.options.address(option::broadcast_address) == ip("198.18.0.255"));
    CHECK(out.reply->destination == limited_broadcast);
    CHECK(out.lease_changes.empty());  // offers are not persisted
    CHECK(f.leases.at(r.yiaddr)->state == LeaseState::offered);
}

TEST_CASE("config extras are added") {
    Fixture f;
    f.config.dhcp.options.push_back({.code = 42, .value = {198, 18, 0, 1}});
    CHECK(f.send(request(MessageType::discover)).reply->message.options.address(42) == server);
}

TEST_CASE("DORA binds and persists; a second client gets the next address") {
    Fixture f;
    CHECK(f.dora("52:54:00:00:00:01") == ip("198.18.0.100"));
    CHECK(f.leases.at(ip("198.18.0.100"))->state == LeaseState::bound);
    CHECK(f.leases.at(ip("198.18.0.100"))->expires == f.context.now + 600);
    CHECK(f.dora("52:54:00:00:00:02") == ip("198.18.0.101"));
    // the first client asks again: same address
    CHECK(f.dora("52:54:00:00:00:01") == ip("198.18.0.100"));
}

TEST_CASE("ACK carries the lease change to persist") {
    Fixture f;
    const auto offer = f.send(request(MessageType::discover));
    auto req = request(MessageType::request);
    req.options.set_address(option::server_identifier, server);
    req.options.set_address(option::requested_address, offer.reply->message.yiaddr);
    const auto ack = f.send(req);
    REQUIRE(ack.lease_changes.size() == 1);
    CHECK(ack.lease_changes[0].state == LeaseState::bound);
    CHECK(ack.lease_changes[0].address == offer.reply->message.yiaddr);
}

TEST_CASE("reservations give the reserved address and are never given to others") {
    Fixture f;
    CHECK(f.dora("52:54:00:00:00:09") == ip("198.18.0.50"));  // outside the range, in the subnet
    f.config.hosts[1].address = ip("198.18.0.100");           // now reserve a pool address
    LeaseTable fresh;
    FullDhcpResponder r(f.config, fresh);
    const auto offer = r.respond(request(MessageType::discover, "52:54:00:00:00:05"), f.context);
    REQUIRE(offer.reply);
    CHECK(offer.reply->message.yiaddr == ip("198.18.0.101"));
}

TEST_CASE("the requested address is honoured when free") {
    Fixture f;
    auto m = request(MessageType::discover);
    m.options.set_address(option::requested_address, ip("198.18.0.102"));
    CHECK(f.send(m).reply->message.yiaddr == ip("198.18.0.102"));
    auto outside = request(MessageType::discover, "52:54:00:00:00:02");
    outside.options.set_address(option::requested_address, ip("10.0.0.1"));
    CHECK(f.send(outside).reply->message.yiaddr == ip("198.18.0.100"));
}

TEST_CASE("pool exhaustion: bound leases are never taken; offers expire and free the address") {
    Fixture f;
    f.dora("52:54:00:00:00:01");
    f.dora("52:54:00:00:00:02");
    f.dora("52:54:00:00:00:03");
    const auto none = f.send(request(MessageType::discover, "52:54:00:00:00:04"));
    CHECK_FALSE(none.reply);
    CHECK(none.note == "pool exhausted");
    f.context.now += 600;  // the leases expire
    CHECK(f.send(request(MessageType::discover, "52:54:00:00:00:04")).reply->message.yiaddr ==
          ip("198.18.0.100"));
}

namespace {
// A MAC no listed host has, different for each i.
std::string flood_mac(unsigned i) {
    char text[18];
    std::snprintf(text, sizeof text, "0a:%02x:%02x:%02x:00:01", (i >> 16) & 0xff, (i >> 8) & 0xff,
                  i & 0xff);
    return text;
}
void flood(Fixture& f, unsigned first, unsigned count) {
    for (unsigned i = first; i < first + count; ++i)
        f.send(request(MessageType::discover, flood_mac(i).c_str()));
}
}  // namespace

TEST_CASE("a DISCOVER flood from made-up MACs starves nobody: the oldest offer is reused") {
    Fixture f;
    f.config.dhcp.pools[0].last = ip("198.18.0.199");  // 100 addresses
    const auto bound = f.dora("52:54:00:00:00:07");
    const auto listed = f.send(request(MessageType::discover, "52:54:00:00:00:01"));  // ws01
    REQUIRE(listed.reply);
    flood(f, 0, 3000);
    CHECK(f.leases.size() == 100);  // one record per address, however many MACs asked

    // A new client gets an address at once (DORA), from the oldest offer nobody requested.
    const auto offer = f.send(request(MessageType::discover, "52:54:00:00:00:42"));
    REQUIRE(offer.reply);
    CHECK(offer.note.find("oldest unrequested offer") != std::string::npos);
    CHECK(f.dora("52:54:00:00:00:42") == offer.reply->message.yiaddr);

    // The bound lease and the listed host's offer were never taken.
    CHECK(f.leases.at(bound)->mac == *MacAddress::parse("52:54:00:00:00:07"));
    CHECK(f.leases.at(bound)->state == LeaseState::bound);
    CHECK(f.leases.at(listed.reply->message.yiaddr)->mac ==
          *MacAddress::parse("52:54:00:00:00:01"));
    CHECK(f.dora("52:54:00:00:00:01") == listed.reply->message.yiaddr);

    // The bound client renews through another flood.
    flood(f, 3000, 3000);
    auto renew = request(MessageType::request, "52:54:00:00:00:07");
    renew.ciaddr = bound;
    const auto ack = f.send(renew);
    REQUIRE(ack.reply);
    CHECK(ack.reply->message.type() == MessageType::ack);
}

TEST_CASE("an offer reused by a flood is still won by the first REQUEST for it") {
    Fixture f;  // 3 addresses
    const auto offer = f.send(request(MessageType::discover, "52:54:00:00:00:42"));
    REQUIRE(offer.reply);
    flood(f, 0, 3);  // .101, .102, then the oldest offer: ours
    CHECK(f.leases.at(offer.reply->message.yiaddr)->mac != *MacAddress::parse("52:54:00:00:00:42"));
    auto req = request(MessageType::request, "52:54:00:00:00:42");
    req.options.set_address(option::server_identifier, server);
    req.options.set_address(option::requested_address, offer.reply->message.yiaddr);
    const auto ack = f.send(req);
    REQUIRE(ack.reply);
    CHECK(ack.reply->message.type() == MessageType::ack);
}

TEST_CASE("a reservation in dhcp.reservations is honoured over another client's offer") {
    Fixture f;
    flood(f, 0, 3);  // every address offered
    const auto reserved = ip("198.18.0.101");
    REQUIRE(f.leases.at(reserved)->state == LeaseState::offered);
    f.config.dhcp.reservations.push_back(
        {.mac = *MacAddress::parse("52:54:00:00:00:33"), .address = reserved});
    const auto out = f.send(request(MessageType::discover, "52:54:00:00:00:33"));
    REQUIRE(out.reply);
    CHECK(out.reply->message.yiaddr == reserved);
    CHECK(out.note.find("reservation") != std::string::npos);
    // nobody else is offered it from the pool while the reservation stands
    f.context.now += FullDhcpResponder::offer_hold_seconds + 1;
    for (unsigned i = 10; i < 20; ++i) {
        const auto other = f.send(request(MessageType::discover, flood_mac(i).c_str()));
        if (other.reply) CHECK(other.reply->message.yiaddr != reserved);
    }
}

TEST_CASE("SELECTING another server drops our offer silently") {
    Fixture f;
    const auto offer = f.send(request(MessageType::discover));
    auto req = request(MessageType::request);
    req.options.set_address(option::server_identifier, ip("198.18.0.2"));
    req.options.set_address(option::requested_address, offer.reply->message.yiaddr);
    CHECK_FALSE(f.send(req).reply);
    CHECK_FALSE(f.leases.at(offer.reply->message.yiaddr));
}

TEST_CASE("SELECTING an address held by another client gets NAK, broadcast") {
    Fixture f;
    const auto a = f.dora("52:54:00:00:00:01");
    auto req = request(MessageType::request, "52:54:00:00:00:02");
    req.options.set_address(option::server_identifier, server);
    req.options.set_address(option::requested_address, a);
    const auto out = f.send(req);
    REQUIRE(out.reply);
    CHECK(out.reply->message.type() == MessageType::nak);
    CHECK(out.reply->destination == limited_broadcast);
    CHECK(out.reply->message.yiaddr.is_zero());
}

TEST_CASE("RENEWING extends the lease and answers to ciaddr") {
    Fixture f;
    const auto a = f.dora("52:54:00:00:00:01");
    f.context.now += 300;
    auto renew = request(MessageType::request);
    renew.ciaddr = a;
    const auto out = f.send(renew);
    REQUIRE(out.reply);
    CHECK(out.reply->message.type() == MessageType::ack);
    CHECK(out.reply->message.yiaddr == a);
    CHECK(out.reply->message.ciaddr == a);
    CHECK(out.reply->destination == a);
    CHECK(f.leases.at(a)->expires == f.context.now + 600);
    CHECK(out.lease_changes.size() == 1);
}

TEST_CASE(
    "INIT-REBOOT: known lease ACK, wrong network NAK, unknown lease silent unless authoritative") {
    Fixture f;
    const auto a = f.dora("52:54:00:00:00:01");
    auto reboot = request(MessageType::request);
    reboot.options.set_address(option::requested_address, a);
    CHECK(f.send(reboot).reply->message.type() == MessageType::ack);

    auto wrong = request(MessageType::request);
    wrong.options.set_address(option::requested_address, ip("10.1.2.3"));
    CHECK(f.send(wrong).reply->message.type() == MessageType::nak);

    auto stranger = request(MessageType::request, "52:54:00:00:00:07");
    stranger.options.set_address(option::requested_address, ip("198.18.0.102"));
    CHECK_FALSE(f.send(stranger).reply);
    f.config.dhcp.authoritative = true;
    CHECK(f.send(stranger).reply->message.type() == MessageType::ack);

    auto taken = request(MessageType::request, "52:54:00:00:00:08");
    taken.options.set_address(option::requested_address, a);
    CHECK(f.send(taken).reply->message.type() == MessageType::nak);
}

TEST_CASE("RELEASE frees the address but remembers the client") {
    Fixture f;
    const auto a = f.dora("52:54:00:00:00:01");
    auto release = request(MessageType::release);
    release.ciaddr = a;
    release.options.set_address(option::server_identifier, server);
    const auto out = f.send(release);
    CHECK_FALSE(out.reply);
    REQUIRE(out.lease_changes.size() == 1);
    CHECK(out.lease_changes[0].state == LeaseState::released);
    CHECK(f.leases.free_for(a, *MacAddress::parse("52:54:00:00:00:02"), f.context.now));
    CHECK(f.dora("52:54:00:00:00:01") == a);
    // a RELEASE from someone else changes nothing
    auto forged = request(MessageType::release, "52:54:00:00:00:02");
    forged.ciaddr = a;
    CHECK(f.send(forged).lease_changes.empty());
    CHECK(f.leases.at(a)->state == LeaseState::bound);
}

TEST_CASE("DECLINE takes the address out of the pool") {
    Fixture f;
    const auto a = f.dora("52:54:00:00:00:01");
    auto decline = request(MessageType::decline);
    decline.options.set_address(option::server_identifier, server);
    decline.options.set_address(option::requested_address, a);
    const auto out = f.send(decline);
    CHECK_FALSE(out.reply);
    REQUIRE(out.lease_changes.size() == 1);
    CHECK(out.lease_changes[0].state == LeaseState::declined);
    CHECK(f.dora("52:54:00:00:00:01") != a);
    CHECK(f.dora("52:54:00:00:00:02") != a);
}

TEST_CASE("INFORM: options without lease time or yiaddr, to ciaddr") {
    Fixture f;
    auto inform = request(MessageType::inform);
    inform.ciaddr = ip("198.18.0.7");
    const auto out = f.send(inform);
    REQUIRE(out.reply);
    CHECK(out.reply->message.type() == MessageType::ack);
    CHECK(out.reply->message.yiaddr.is_zero());
    CHECK_FALSE(out.reply->message.options.has(option::lease_time));
    CHECK(out.reply->message.options.has(option::router));
    CHECK(out.reply->destination == inform.ciaddr);
    CHECK(out.lease_changes.empty());
}

TEST_CASE("relay: giaddr selects the pool, reply unicast to the relay with 82 last") {
    Fixture f;
    auto m = request(MessageType::discover);
    m.giaddr = ip("198.19.5.1");
    m.options.set(option::relay_agent_information, {1, 2, 'p', '1'});
    const auto out = f.send(m);
    REQUIRE(out.reply);
    CHECK(out.reply->message.yiaddr == ip("198.19.5.10"));
    CHECK(out.reply->message.options.address(option::router) == ip("198.19.5.1"));
    CHECK(out.reply->destination == m.giaddr);
    CHECK(out.reply->port == server_port);
    CHECK(out.reply->message.options.all().back().code == option::relay_agent_information);
    auto unknown = m;
    unknown.giaddr = ip("198.19.99.1");
    CHECK(f.send(unknown).note == "no pool for relay 198.19.99.1");
}

TEST_CASE("no pool on the arrival interface: silence") {
    Fixture f;
    f.context.interface = "lab7";
    CHECK_FALSE(f.send(request(MessageType::discover)).reply);
}

TEST_CASE("PXE clients get their boot file with the address") {
    Fixture f;
    const auto out = f.send(pxe_request(MessageType::discover, 0));
    REQUIRE(out.reply);
    const auto& r = out.reply->message;
    CHECK(r.yiaddr == ip("198.18.0.100"));
    CHECK(r.siaddr == server);
    CHECK(r.file == "undionly.kpxe");
    CHECK(encapsulated(r.options, option::vendor_specific).value->u8(6) == 8);
    const auto efi = f.send(pxe_request(MessageType::discover, 7, "52:54:00:00:00:02"));
    CHECK(efi.reply->message.file == "snponly.efi");
    CHECK_FALSE(efi.reply->message.options.has(option::vendor_specific));
    // ordinary clients get no boot file
    CHECK(f.send(request(MessageType::discover, "52:54:00:00:00:03")).reply->message.file.empty());
}

TEST_CASE("requests that are not for a server are dropped") {
    Fixture f;
    auto m = request(MessageType::discover);
    m.op = op_reply;
    CHECK_FALSE(f.send(m).reply);
    CHECK_FALSE(f.send(request(MessageType::offer)).reply);
    Message bootp;
    CHECK_FALSE(f.send(bootp).reply);
}
