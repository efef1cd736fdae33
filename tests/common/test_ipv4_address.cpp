#include <doctest/doctest.h>

#include "common/ipv4_address.hpp"

using castline::Ipv4Address;
using castline::Ipv4Network;

TEST_CASE("dotted quads parse strictly") {
    CHECK(Ipv4Address::parse("198.18.0.1")->value == 0xC6120001u);
    CHECK(Ipv4Address::parse("0.0.0.0")->is_zero());
    CHECK(Ipv4Address::parse("255.255.255.255")->value == 0xFFFFFFFFu);
    CHECK(Ipv4Address::parse("198.18.0.1")->to_string() == "198.18.0.1");
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ",
                            "a.b.c.d", "1..2.3", "1.2.3.-4", "1234.1.1.1"})
        CHECK_MESSAGE(!Ipv4Address::parse(bad), bad);
}

TEST_CASE("networks contain their addresses") {
    const auto net = *Ipv4Network::parse("198.18.0.0/24");
    CHECK(net.contains(*Ipv4Address::parse("198.18.0.200")));
    CHECK_FALSE(net.contains(*Ipv4Address::parse("198.18.1.1")));
    CHECK(net.broadcast().to_string() == "198.18.0.255");
    CHECK(Ipv4Network::parse("0.0.0.0/0")->contains(*Ipv4Address::parse("8.8.8.8")));
    for (const char* bad : {"198.18.0.0", "198.18.0.0/33", "198.18.0.0/", "198.18.0.0/-1", "x/24"})
        CHECK_MESSAGE(!Ipv4Network::parse(bad), bad);
}
