#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline;
using namespace castline::config;
using namespace castline::config::testing;

TEST_CASE("a host with every key") {
    const auto result = load_string(base_config +
                                        "groups: {g: {}}\n"
                                        "hosts:\n"
                                        "  - mac: 525400000001\n"
                                        "    name: ws-01\n"
                                        "    group: g\n"
                                        "    vars: {OrgName: Example, Seat: 12}\n"
                                        "    action: local\n"
                                        "    address: 198.18.0.31\n"
                                        "    loaders: {bios: custom.kpxe}\n",
                                    "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& h = result.config->hosts.at(0);
    CHECK(h.mac == *MacAddress::parse("52:54:00:00:00:01"));
    CHECK(h.vars.at("Seat") == "12");
    CHECK(h.action == HostAction::local);
    CHECK(h.address == Ipv4Address::parse("198.18.0.31"));
    REQUIRE(h.loaders);
    CHECK(h.loaders->bios == "custom.kpxe");
    CHECK(h.loaders->efi_x64 == "snponly.efi");  // not given: boot.loaders' value
    CHECK(h.location.line == 7);
    CHECK(h.key_path == "hosts[0]");
}

TEST_CASE("host errors: missing MAC, bad name, bad variable") {
    const auto missing = load_string(base_config + "hosts:\n  - name: ws01\n", "site.yaml");
    require_single_error(missing, "site.yaml", 6, 5, "hosts[0].mac",
                         "missing, expected the host's MAC");
    const auto name = load_string(
        base_config + "hosts:\n  - {mac: \"52:54:00:00:00:01\", name: -ws}\n", "site.yaml");
    require_single_error(name, "site.yaml", 6, 38, "hosts[0].name", "\"-ws\" is not a host name");
    const auto var = load_string(
        base_config +
            "hosts:\n  - mac: \"52:54:00:00:00:01\"\n    name: a\n    vars: {1x: a, ok: [1]}\n",
        "site.yaml");
    INFO(all_text(var.diagnostics));
    REQUIRE(var.diagnostics.size() == 2);
    CHECK(var.diagnostics[0].key_path == "hosts[0].vars.1x");
    CHECK(var.diagnostics[1].key_path == "hosts[0].vars.ok");
    CHECK(var.diagnostics[1].message.find("a list is not a single value") != std::string::npos);
}

TEST_CASE("a long host name is a warning (Windows cuts computer names to 15)") {
    const auto result = load_string(
        base_config + "hosts:\n  - {mac: \"52:54:00:00:00:01\", name: assembly-station-0001}\n",
        "site.yaml");
    REQUIRE(result.ok());
    REQUIRE(other_warnings(result).size() == 1);
    CHECK(other_warnings(result)[0].key_path == "hosts[0].name");
}

TEST_CASE("a multicast or broadcast MAC is refused as a host's own") {
    require_single_error(
        load_string(base_config + "hosts:\n  - {mac: \"01:00:5e:00:00:01\", name: a}\n", "s.yaml"),
        "s.yaml", 6, 11, "hosts[0].mac",
        "\"01:00:5e:00:00:01\" is a multicast address (the first octet is odd), expected a "
        "machine's own unicast MAC");
    require_single_error(
        load_string(base_config + "hosts:\n  - mac: ff:ff:ff:ff:ff:ff\n    name: a\n", "s.yaml"),
        "s.yaml", 6, 10, "hosts[0].mac", "is a broadcast address");
    CHECK(load_string(base_config + "hosts:\n  - {mac: \"02:00:00:00:00:01\", name: a}\n", "s.yaml")
              .ok());
}
