// The machine check: what castlined sees on the machine it runs on. The real interface list of
// this namespace always has loopback (127.0.0.1/8); other cases use a given list.
#include <doctest/doctest.h>

#include <algorithm>

#include "config_test_support.hpp"

using namespace castline;
using namespace castline::config;
using namespace castline::config::testing;

namespace {
SiteConfig load(const std::string& text) {
    auto result = load_string(text, "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    return *result.config;
}

const std::string full_on_lo =
    "version: 1\nserver: {interfaces: [lo], data_dir: /var/lib/castline}\nboot: {root: .}\ndhcp:\n "
    " mode: full\n  pools:\n"
    "    - interface: lo\n";
}  // namespace

TEST_CASE("list_interfaces finds loopback with its address") {
    const auto interfaces = list_interfaces();
    const auto lo = std::find_if(interfaces.begin(), interfaces.end(),
                                 [](const auto& i) { return i.name == "lo"; });
    REQUIRE(lo != interfaces.end());
    REQUIRE_FALSE(lo->ipv4.empty());
    CHECK(lo->ipv4[0].address == *Ipv4Address::parse("127.0.0.1"));
    CHECK(lo->ipv4[0].prefix_length == 8);
}

TEST_CASE("a served interface that does not exist here names the config line") {
    const auto config = load(
        "version: 1\nserver:\n  interfaces: [lo, castline-nx0]\n  data_dir: "
        "/var/lib/castline\nboot: {root: .}\n");
    const auto problems = check_machine(config);
    INFO(all_text(problems));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].location.to_string() == "site.yaml:3:20");
    CHECK(problems[0].key_path == "server.interfaces[1]");
    CHECK(problems[0].message.find("interface \"castline-nx0\" does not exist on this machine") !=
          std::string::npos);
}

TEST_CASE("a pool outside its interface's subnet names the range") {
    const auto config = load(full_on_lo + "      range: [198.18.0.100, 198.18.0.199]\n");
    const auto problems = check_machine(config);
    INFO(all_text(problems));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].location.to_string() == "site.yaml:8:14");
    CHECK(problems[0].key_path == "dhcp.pools[0].range");
    CHECK(problems[0].message ==
          "198.18.0.100-198.18.0.199 lies outside the subnet of \"lo\" (127.0.0.0/8), expected "
          "addresses inside it (or a subnet_mask for a subnet reached through a relay agent)");
}

TEST_CASE("a pool with a subnet_mask off the interface serves a relayed subnet") {
    const std::string relayed = full_on_lo +
                                "      range: [198.19.5.10, 198.19.5.20]\n"
                                "      subnet_mask: 255.255.255.0\n";
    CHECK(check_machine(load(relayed + "      router: 198.19.5.1\n")).empty());
    const auto problems = check_machine(load(relayed + "      router: 198.19.6.1\n"));
    INFO(all_text(problems));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key_path == "dhcp.pools[0].router");
    CHECK(problems[0].message ==
          "198.19.6.1 lies outside the pool's subnet 198.19.5.0/24, expected a router inside it");
    const auto wide = check_machine(load(full_on_lo + "      range: [198.19.5.10, 198.19.6.20]\n"
                                                      "      subnet_mask: 255.255.255.0\n"));
    REQUIRE(wide.size() == 1);
    CHECK(wide[0].key_path == "dhcp.pools[0].range");
    CHECK(wide[0].message.find("spans more than one subnet of mask 255.255.255.0") !=
          std::string::npos);
}

TEST_CASE("a pool inside the subnet passes; one holding the server address does not") {
    CHECK(check_machine(load(full_on_lo + "      range: [127.0.0.100, 127.0.0.199]\n")).empty());
    const auto problems = check_machine(load(full_on_lo + "      range: [127.0.0.1, 127.0.0.9]\n"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.find("includes the server's own address 127.0.0.1") !=
          std::string::npos);
}

TEST_CASE("with a given interface list: no IPv4 address, router outside the subnet") {
    const auto config = load(
        "version: 1\nserver: {interfaces: [lab0, lab1], data_dir: /var/lib/castline}\nboot: {root: "
        ".}\ndhcp:\n  mode: full\n"
        "  pools:\n    - interface: lab0\n      range: [198.18.0.100, 198.18.0.199]\n"
        "      router: 198.18.1.1\n");
    const std::vector<InterfaceInfo> interfaces{{"lab0", {*Ipv4Network::parse("198.18.0.1/24")}},
                                                {"lab1", {}}};
    const auto problems = check_machine(config, interfaces);
    INFO(all_text(problems));
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].key_path == "server.interfaces[1]");
    CHECK(problems[0].message.find("has no IPv4 address") != std::string::npos);
    CHECK(problems[1].key_path == "dhcp.pools[0].router");
    CHECK(problems[1].location.line == 9);
}

TEST_CASE("config check alone never looks at the machine's interfaces") {
    const auto result = load_string(
        "version: 1\nserver: {interfaces: [castline-nx0], data_dir: /var/lib/castline}\nboot: "
        "{root: .}\n",
        "site.yaml");
    CHECK(result.ok());
}
