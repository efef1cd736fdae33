// dhcp: pools, options and reservations.
#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline;
using namespace castline::config;
using namespace castline::config::testing;

namespace {
const std::string full =
    "version: 1\n"                                                 // 1
    "server: {interfaces: [lab0], data_dir: /var/lib/castline}\n"  // 2
    "boot: {root: .}\n"                                            // 3
    "dhcp:\n"                                                      // 4
    "  mode: full\n"                                               // 5
    "  pools:\n"                                                   // 6
    "    - interface: lab0\n";                                     // 7
}

TEST_CASE("a full-mode pool with every key") {
    const auto result = load_string(full +
                                        "      range: [198.18.0.100, 198.18.0.199]\n"
                                        "      router: 198.18.0.1\n"
                                        "      subnet_mask: 255.255.255.0\n"
                                        "      dns_servers: [198.18.0.2, 198.18.0.3]\n"
                                        "      domain_name: lab.example\n"
                                        "      lease_time: 30m\n"
                                        "  authoritative: true\n"
                                        "  options:\n"
                                        "    - {code: 42, addresses: [198.18.0.4]}\n"
                                        "    - {code: 15, string: lab}\n"
                                        "    - {code: 224, hex: \"01:02:ff\"}\n"
                                        "  reservations:\n"
                                        "    - {mac: \"52:54:00:00:00:09\", address: 198.18.0.9}\n",
                                    "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& d = result.config->dhcp;
    CHECK(d.authoritative);
    REQUIRE(d.pools.size() == 1);
    CHECK(d.pools[0].subnet_mask == Ipv4Address::parse("255.255.255.0"));
    CHECK(d.pools[0].dns_servers.size() == 2);
    CHECK(d.pools[0].domain_name == "lab.example");
    CHECK(d.pools[0].lease_time == std::chrono::minutes(30));
    REQUIRE(d.options.size() == 3);
    CHECK(d.options[0].value == std::vector<std::uint8_t>{198, 18, 0, 4});
    CHECK(d.options[1].value == std::vector<std::uint8_t>{'l', 'a', 'b'});
    CHECK(d.options[2].value == std::vector<std::uint8_t>{1, 2, 0xff});
    REQUIRE(d.reservations.size() == 1);
    CHECK(d.reservations[0].address == *Ipv4Address::parse("198.18.0.9"));
}

TEST_CASE("a reversed pool range") {
    const auto result =
        load_string(full + "      range: [198.18.0.199, 198.18.0.100]\n", "site.yaml");
    require_single_error(result, "site.yaml", 8, 14, "dhcp.pools[0].range",
                         "the range is reversed: 198.18.0.199 comes after 198.18.0.100, expected "
                         "[first, last] with first <= last");
}

TEST_CASE("a range that is not two addresses") {
    const auto result = load_string(full + "      range: [198.18.0.1]\n", "site.yaml");
    require_single_error(result, "site.yaml", 8, 14, "dhcp.pools[0].range", "has 1 addresses");
}

TEST_CASE("a router inside the pool and a mask that is not one") {
    const auto router = load_string(
        full + "      range: [198.18.0.100, 198.18.0.199]\n      router: 198.18.0.150\n",
        "site.yaml");
    require_single_error(router, "site.yaml", 9, 15, "dhcp.pools[0].router",
                         "198.18.0.150 lies inside the pool's range");
    const auto mask = load_string(
        full + "      range: [198.18.0.100, 198.18.0.199]\n      subnet_mask: 255.0.255.0\n",
        "site.yaml");
    require_single_error(mask, "site.yaml", 9, 20, "dhcp.pools[0].subnet_mask",
                         "255.0.255.0 is not a subnet mask");
}

TEST_CASE("a pool without interface or range") {
    const auto result = load_string(full, "site.yaml");
    require_single_error(result, "site.yaml", 7, 7, "dhcp.pools[0].range", "missing");
}

TEST_CASE("lease times under a minute are a warning, under 5 s an error") {
    const std::string pool = full + "      range: [198.18.0.100, 198.18.0.199]\n";
    const auto short_lease = load_string(pool + "      lease_time: 8s\n", "site.yaml");
    INFO(all_text(short_lease.diagnostics));
    REQUIRE(short_lease.ok());
    CHECK(short_lease.config->dhcp.pools[0].lease_time == std::chrono::seconds(8));
    REQUIRE(other_warnings(short_lease).size() == 1);
    CHECK(other_warnings(short_lease)[0].key_path == "dhcp.pools[0].lease_time");
    CHECK(other_warnings(short_lease)[0].location.line == 9);
    CHECK(other_warnings(short_lease)[0].message.find("under a minute") != std::string::npos);
    CHECK(other_warnings(load_string(pool + "      lease_time: 1m\n", "site.yaml")).empty());
    require_single_error(load_string(pool + "      lease_time: 4\n", "site.yaml"), "site.yaml", 9,
                         19, "dhcp.pools[0].lease_time", "out of range, expected 5s to ");
}

TEST_CASE("full mode without pools is an error; pools in proxy mode a warning") {
    const auto none = load_string(
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot: {root: .}\n"
        "dhcp: {mode: full}\n",
        "site.yaml");
    require_single_error(none, "site.yaml", 4, 7, "dhcp.pools", "full mode has no pool");
    const auto proxy = load_string(
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot: {root: .}\n"
        "dhcp:\n  mode: proxy\n  pools: [{interface: lab0, range: [198.18.0.1, 198.18.0.2]}]\n",
        "site.yaml");
    CHECK(proxy.ok());
    REQUIRE(other_warnings(proxy).size() == 1);
    CHECK(other_warnings(proxy)[0].key_path == "dhcp.pools");
}

TEST_CASE("passive_discovery: off by default, a boolean, ignored with a warning when DHCP is off") {
    const std::string head =
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot: {root: .}\n";
    const auto absent = load_string(head + "dhcp: {mode: proxy}\n", "site.yaml");
    REQUIRE(absent.ok());
    CHECK_FALSE(absent.config->dhcp.passive_discovery);
    const auto on =
        load_string(head + "dhcp: {mode: proxy, passive_discovery: true}\n", "site.yaml");
    REQUIRE(on.ok());
    CHECK(on.config->dhcp.passive_discovery);
    CHECK(other_warnings(on).empty());
    require_single_error(load_string(head + "dhcp: {passive_discovery: often}\n", "site.yaml"),
                         "site.yaml", 4, 27, "dhcp.passive_discovery", "often");
    const auto off =
        load_string(head + "dhcp:\n  mode: off\n  passive_discovery: true\n", "site.yaml");
    CHECK(off.ok());
    REQUIRE(other_warnings(off).size() == 1);
    CHECK(other_warnings(off)[0].key_path == "dhcp.passive_discovery");
    CHECK(other_warnings(off)[0].location.line == 6);
    CHECK(other_warnings(off)[0].message.find("ignored with off") != std::string::npos);
}

TEST_CASE("options: reserved codes, no value, bad hex") {
    const std::string head =
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot: {root: "
        ".}\ndhcp:\n  options:\n";
    require_single_error(load_string(head + "    - {code: 54, string: x}\n", "site.yaml"),
                         "site.yaml", 6, 14, "dhcp.options[0].code", "set by castline itself");
    require_single_error(load_string(head + "    - {code: 66}\n", "site.yaml"), "site.yaml", 6, 7,
                         "dhcp.options[0]", "the option has no value");
    require_single_error(load_string(head + "    - {code: 66, hex: xyz}\n", "site.yaml"),
                         "site.yaml", 6, 23, "dhcp.options[0].hex", "\"xyz\" is not hex bytes");
    require_single_error(load_string(head + "    - {code: 0, string: x}\n", "site.yaml"),
                         "site.yaml", 6, 14, "dhcp.options[0].code", "out of range");
}
