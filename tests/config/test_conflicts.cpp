// Duplicates and overlaps, each naming the first definition too.
#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

TEST_CASE("duplicate MAC addresses name the first host") {
    const auto result = load_string(base_config +
                                        "hosts:\n"
                                        "  - {mac: \"52:54:00:00:00:01\", name: ws01}\n"
                                        "  - {mac: \"52-54-00-00-00-01\", name: ws02}\n",
                                    "site.yaml");
    require_single_error(result, "site.yaml", 7, 11, "hosts[1].mac",
                         "\"52:54:00:00:00:01\" is already the MAC of hosts[0] (ws01) at "
                         "site.yaml:6:11, expected each MAC once");
}

TEST_CASE("duplicate host names, ignoring case, name the first host") {
    const auto result = load_string(base_config +
                                        "hosts:\n"
                                        "  - {mac: \"52:54:00:00:00:01\", name: ws01}\n"
                                        "  - {mac: \"52:54:00:00:00:02\", name: WS01}\n",
                                    "site.yaml");
    require_single_error(result, "site.yaml", 7, 38, "hosts[1].name",
                         "\"WS01\" is already the name of hosts[0] (52:54:00:00:00:01) at "
                         "site.yaml:6:38");
}

TEST_CASE("a reserved address used twice") {
    const auto twice = load_string(
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot: {root: .}\n"
        "dhcp:\n  reservations: [{mac: \"52:54:00:00:00:02\", address: 198.18.0.9}]\n"
        "hosts:\n"
        "  - {mac: \"52:54:00:00:00:01\", name: ws01, address: 198.18.0.9}\n",
        "site.yaml");
    require_single_error(twice, "site.yaml", 5, 54, "dhcp.reservations[0].address",
                         "198.18.0.9 is already reserved for hosts[0] at site.yaml:7:53");
}

TEST_CASE("overlapping pools name each other; touching pools are fine") {
    const std::string head =
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot: {root: "
        ".}\ndhcp:\n  mode: full\n  "
        "pools:\n";
    const auto result =
        load_string(head +
                        "    - {interface: lab0, range: [198.18.0.100, 198.18.0.199]}\n"
                        "    - {interface: lab0, range: [198.18.0.10, 198.18.0.20]}\n"
                        "    - {interface: lab0, range: [198.18.0.150, 198.18.0.160]}\n",
                    "site.yaml");
    require_single_error(result, "site.yaml", 9, 32, "dhcp.pools[2].range",
                         "198.18.0.150-198.18.0.160 overlaps dhcp.pools[0] "
                         "198.18.0.100-198.18.0.199 at site.yaml:7:32");
    const auto touching =
        load_string(head +
                        "    - {interface: lab0, range: [198.18.0.100, 198.18.0.199]}\n"
                        "    - {interface: lab0, range: [198.18.0.200, 198.18.0.210]}\n",
                    "site.yaml");
    CHECK(touching.ok());
}

TEST_CASE("two sessions on one group address and port") {
    const auto result = load_string(base_config +
                                        "images: {a: {path: a.cimg}}\n"
                                        "sessions:\n"
                                        "  s1: {image: a, address: 239.1.1.1, port: 9000}\n"
                                        "  s2: {image: a, address: 239.1.1.1, port: 9000}\n",
                                    "site.yaml");
    require_single_error(result, "site.yaml", 8, 44, "sessions.s2.port",
                         "239.1.1.1:9000 is already used by sessions.s1 at site.yaml:7:44");
}

TEST_CASE("TFTP and HTTP on one port") {
    const auto result = load_string(
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot: {root: ., "
        "tftp_port: 8080, http_port: "
        "8080}\n",
        "site.yaml");
    require_single_error(result, "site.yaml", 3, 45, "boot.http_port", "is also boot.tftp_port");
}

TEST_CASE("ten thousand distinct hosts raise no conflict") {
    std::string text = base_config + "hosts:\n";
    for (int i = 0; i < 10000; ++i) {
        char mac[18];
        std::snprintf(mac, sizeof mac, "52:54:00:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff,
                      i & 0xff);
        text += "  - {mac: \"" + std::string(mac) + "\", name: h" + std::to_string(i) + "}\n";
    }
    const auto result = load_string(text, "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    CHECK(result.config->hosts.size() == 10000);
}
