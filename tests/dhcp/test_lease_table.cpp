#include <doctest/doctest.h>

#include "dhcp/lease_table.hpp"

using namespace castline;
using namespace castline::dhcp;

namespace {
Ipv4Address ip(const char* text) {
    return *Ipv4Address::parse(text);
}
MacAddress mac(const char* text) {
    return *MacAddress::parse(text);
}
const auto any = [](Ipv4Address) { return true; };
}  // namespace

TEST_CASE("one record per address, one address per client") {
    LeaseTable t;
    t.put({ip("10.0.0.1"), mac("02:00:00:00:00:01"), LeaseState::offered, 100});
    t.put({ip("10.0.0.2"), mac("02:00:00:00:00:01"), LeaseState::bound, 100});
    CHECK_FALSE(t.at(ip("10.0.0.1")));  // the stale offer is gone
    CHECK(t.of(mac("02:00:00:00:00:01"))->address == ip("10.0.0.2"));
    t.put({ip("10.0.0.2"), mac("02:00:00:00:00:02"), LeaseState::bound, 100});
    CHECK_FALSE(t.of(mac("02:00:00:00:00:01")));
    t.erase(ip("10.0.0.2"));
    CHECK(t.size() == 0);
    CHECK_FALSE(t.of(mac("02:00:00:00:00:02")));
}

TEST_CASE("free_for: own, expired, released and declined addresses") {
    LeaseTable t;
    const auto a = mac("02:00:00:00:00:01"), b = mac("02:00:00:00:00:02");
    t.put({ip("10.0.0.1"), a, LeaseState::bound, 100});
    CHECK(t.free_for(ip("10.0.0.1"), a, 50));
    CHECK_FALSE(t.free_for(ip("10.0.0.1"), b, 50));
    CHECK(t.free_for(ip("10.0.0.1"), b, 100));
    t.put({ip("10.0.0.1"), a, LeaseState::released, 50});
    CHECK(t.free_for(ip("10.0.0.1"), b, 10));
    t.put({ip("10.0.0.1"), a, LeaseState::declined, 100});
    CHECK_FALSE(t.free_for(ip("10.0.0.1"), a, 50));
    CHECK(t.free_for(ip("10.0.0.1"), b, 100));
    CHECK_FALSE(t.of(a));  // a declined address is nobody's
}

TEST_CASE("allocate prefers never-used addresses, then the longest expired") {
    LeaseTable t;
    const auto c = mac("02:00:00:00:00:09");
    for (int i = 1; i <= 3; ++i)
        t.put({Ipv4Address{ip("10.0.0.0").value + static_cast<std::uint32_t>(i)},
               MacAddress{{2, 0, 0, 0, 0, static_cast<std::uint8_t>(i)}}, LeaseState::bound,
               100 + i});
    CHECK(t.allocate(ip("10.0.0.1"), ip("10.0.0.4"), c, 0, any) == ip("10.0.0.4"));
    t.put({ip("10.0.0.4"), c, LeaseState::bound, 500});
    CHECK_FALSE(t.allocate(ip("10.0.0.1"), ip("10.0.0.4"), mac("02:00:00:00:00:0a"), 50, any));
    CHECK(t.allocate(ip("10.0.0.1"), ip("10.0.0.4"), mac("02:00:00:00:00:0a"), 200, any) ==
          ip("10.0.0.1"));
    // `usable` vetoes addresses (reservations of others)
    CHECK(t.allocate(ip("10.0.0.1"), ip("10.0.0.4"), mac("02:00:00:00:00:0a"), 200,
                     [](Ipv4Address a) { return a != *Ipv4Address::parse("10.0.0.1"); }) ==
          ip("10.0.0.2"));
    CHECK_FALSE(t.allocate(ip("10.0.0.5"), ip("10.0.0.4"), c, 0, any));  // empty range
}

TEST_CASE("a large pool allocates every address once") {
    LeaseTable t;
    std::size_t count = 0;
    for (std::uint32_t i = 0; i < 5000; ++i) {
        const MacAddress m{
            {2, 0, 0, 0, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)}};
        const auto a = t.allocate(ip("10.1.0.0"), ip("10.1.19.135"), m, 0, any);
        REQUIRE(a);
        CHECK_FALSE(t.at(*a));
        t.put({*a, m, LeaseState::bound, 1000});
        ++count;
    }
    CHECK(t.size() == count);
}

TEST_CASE("oldest_offer: the longest-standing live offer of another client, never a lease") {
    LeaseTable t;
    const auto a = mac("02:00:00:00:00:01"), b = mac("02:00:00:00:00:02"),
               c = mac("02:00:00:00:00:03"), d = mac("02:00:00:00:00:04"),
               e = mac("02:00:00:00:00:05");
    const auto all = [](const Lease&) { return true; };
    t.put({ip("10.0.0.1"), a, LeaseState::offered, 130});
    t.put({ip("10.0.0.2"), b, LeaseState::offered, 130});
    t.put({ip("10.0.0.3"), c, LeaseState::offered, 130});
    t.put({ip("10.0.0.4"), d, LeaseState::bound, 1000});
    CHECK(t.oldest_offer(ip("10.0.0.1"), ip("10.0.0.4"), e, 100, all) == ip("10.0.0.1"));
    // a repeated DISCOVER renews the offer: it becomes the newest
    t.put({ip("10.0.0.1"), a, LeaseState::offered, 131});
    CHECK(t.oldest_offer(ip("10.0.0.1"), ip("10.0.0.4"), e, 100, all) == ip("10.0.0.2"));
    // never the asking client's own offer, only inside the range, only what `reusable` accepts
    CHECK(t.oldest_offer(ip("10.0.0.1"), ip("10.0.0.4"), b, 100, all) == ip("10.0.0.3"));
    CHECK(t.oldest_offer(ip("10.0.0.3"), ip("10.0.0.4"), e, 100, all) == ip("10.0.0.3"));
    CHECK(t.oldest_offer(ip("10.0.0.1"), ip("10.0.0.4"), e, 100,
                         [&](const Lease& l) { return l.mac != b; }) == ip("10.0.0.3"));
    // a requested (bound) offer and an erased one are no longer offers
    t.put({ip("10.0.0.2"), b, LeaseState::bound, 1000});
    t.erase(ip("10.0.0.3"));
    CHECK(t.oldest_offer(ip("10.0.0.1"), ip("10.0.0.4"), e, 100, all) == ip("10.0.0.1"));
    // a client moving to another address drops its old offer from the order too
    t.put({ip("10.0.0.5"), a, LeaseState::offered, 140});
    CHECK_FALSE(t.at(ip("10.0.0.1")));
    CHECK_FALSE(t.oldest_offer(ip("10.0.0.1"), ip("10.0.0.4"), e, 100, all));
    // an expired offer is free anyway (allocate takes it), not "held"
    CHECK_FALSE(t.oldest_offer(ip("10.0.0.5"), ip("10.0.0.5"), e, 140, all));
    CHECK(t.oldest_offer(ip("10.0.0.5"), ip("10.0.0.5"), e, 139, all) == ip("10.0.0.5"));
}
