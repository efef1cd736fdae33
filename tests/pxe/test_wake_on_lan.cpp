#include <doctest/doctest.h>

#include "pxe/wake_on_lan.hpp"

using castline::MacAddress;
using namespace castline::pxe;
using namespace std::chrono_literals;

namespace {
const MacAddress target{{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};
}

TEST_CASE("a magic packet is six 0xFF then the MAC sixteen times") {
    const auto packet = magic_packet(target);
    REQUIRE(packet.size() == 102);
    for (int i = 0; i < 6; ++i) CHECK(packet[i] == 0xff);
    for (int copy = 0; copy < 16; ++copy)
        for (int i = 0; i < 6; ++i) CHECK(packet[6 + copy * 6 + i] == target.bytes[i]);
}

TEST_CASE("SecureOn passwords of 4 and 6 bytes follow the MACs") {
    const auto four = SecureOnPassword::parse("192.168.1.2");
    REQUIRE(four);
    const auto packet4 = magic_packet(target, four);
    REQUIRE(packet4.size() == 106);
    CHECK(std::vector<std::uint8_t>(packet4.end() - 4, packet4.end()) ==
          std::vector<std::uint8_t>{192, 168, 1, 2});
    const auto six = SecureOnPassword::parse("01-02-03-04-05-06");
    REQUIRE(six);
    const auto packet6 = magic_packet(target, six);
    REQUIRE(packet6.size() == 108);
    CHECK(packet6.back() == 6);
    CHECK_FALSE(SecureOnPassword::parse("secret"));
    CHECK_FALSE(SecureOnPassword::parse("1.2.3"));
}

TEST_CASE("the raw frame is a broadcast with EtherType 0x0842") {
    const MacAddress source{{0x02, 0, 0, 0, 0, 1}};
    const auto frame = magic_frame(source, target);
    REQUIRE(frame.size() == 14 + 102);
    for (int i = 0; i < 6; ++i) CHECK(frame[i] == 0xff);
    CHECK(std::equal(source.bytes.begin(), source.bytes.end(), frame.begin() + 6));
    CHECK(frame[12] == 0x08);
    CHECK(frame[13] == 0x42);
    CHECK(std::vector<std::uint8_t>(frame.begin() + 14, frame.end()) == magic_packet(target));
}

TEST_CASE("waves hold at most count hosts per interval, duplicates once") {
    std::vector<MacAddress> hosts;
    for (std::uint8_t i = 1; i <= 10; ++i) hosts.push_back(MacAddress{{0x52, 0x54, 0, 0, 0, i}});
    hosts.push_back(hosts.front());
    const auto plan = plan_waves(hosts, {.count = 4, .interval = 10s});
    REQUIRE(plan.size() == 10);
    CHECK(plan[0].offset == 0s);
    CHECK(plan[3].offset == 0s);
    CHECK(plan[4].offset == 10s);
    CHECK(plan[4].wave == 1);
    CHECK(plan[9].offset == 20s);
    CHECK(plan[9].target == hosts[9]);
}
