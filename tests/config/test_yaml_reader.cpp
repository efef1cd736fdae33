// One test per class of value error, each asserting the exact file, line, column and key path.
#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

TEST_CASE("a YAML syntax error is reported at its position") {
    const auto result =
        load_string("version: 1\nserver: {interfaces: [lab0]\ndhcp: {mode: off}\n", "site.yaml");
    REQUIRE(result.diagnostics.size() == 1);
    const auto& d = result.diagnostics[0];
    CHECK(d.location.file == "site.yaml");
    CHECK(d.location.line == 3);  // yaml-cpp notices the missing '}' on the next line
    CHECK(d.message.find("YAML syntax error") != std::string::npos);
}

TEST_CASE("an unknown key gets a did-you-mean at the key") {
    const auto result =
        load_string("version: 1\nserver:\n  interfaces: [lab0]\n  log_levl: info\n", "site.yaml");
    require_single_error(result, "site.yaml", 4, 3, "server.log_levl",
                         "unknown key \"log_levl\" (did you mean \"log_level\"?), expected "
                         "interfaces, data_dir, log_level, api_port or history_keep");
}

TEST_CASE("an unknown top-level key is named without a path prefix") {
    const auto result = load_string(base_config + "hots: []\n", "site.yaml");
    require_single_error(result, "site.yaml", 5, 1, "hots", "did you mean \"hosts\"?");
}

TEST_CASE("a key written twice names the first") {
    const auto result = load_string(base_config + "wake:\n  count: 4\n  count: 5\n", "site.yaml");
    require_single_error(result, "site.yaml", 7, 3, "wake.count", "first at site.yaml:6:3");
}

TEST_CASE("a wrong type: a list where a single value belongs") {
    const auto result = load_string(base_config + "wake: {count: [1, 2]}\n", "site.yaml");
    require_single_error(result, "site.yaml", 5, 15, "wake.count",
                         "a list is not a single value, expected a whole number in 1..50");
}

TEST_CASE("a wrong type: a map where a list belongs") {
    const auto result = load_string(base_config + "hosts: {mac: x}\n", "site.yaml");
    require_single_error(result, "site.yaml", 5, 8, "hosts", "a map is not a list");
}

TEST_CASE("a wrong type: text where a number belongs") {
    const auto result = load_string(base_config + "wake: {count: many}\n", "site.yaml");
    require_single_error(result, "site.yaml", 5, 15, "wake.count",
                         "\"many\" is not a whole number, expected one in 1..50");
}

TEST_CASE("an out-of-range number") {
    const auto result = load_string(base_config + "wake: {count: 51}\n", "site.yaml");
    require_single_error(result, "site.yaml", 5, 15, "wake.count",
                         "\"51\" is out of range, expected a whole number in 1..50");
}

TEST_CASE("an out-of-range port") {
    const auto result = load_string(
        "version: 1\nserver: {interfaces: [lab0]}\nboot:\n  tftp_port: 70000\n", "site.yaml");
    require_single_error(result, "site.yaml", 4, 14, "boot.tftp_port",
                         "\"70000\" is out of range, expected a whole number in 0..65535");
}

TEST_CASE("a bad duration") {
    const auto result = load_string(base_config + "wake:\n  interval: 10 minutes\n", "site.yaml");
    require_single_error(result, "site.yaml", 6, 13, "wake.interval",
                         "\"10 minutes\" is not a duration");
}

TEST_CASE("a duration out of range") {
    const auto result = load_string(base_config + "wake:\n  interval: 3m\n", "site.yaml");
    require_single_error(result, "site.yaml", 6, 13, "wake.interval",
                         "\"3m\" is out of range, expected 1s to 2m");
}

TEST_CASE("a bad size") {
    const auto result =
        load_string(base_config +
                        "images: {a: {path: a.cimg}}\nsessions:\n  s:\n    image: a\n"
                        "    packet_size: 1.5 parsecs\n",
                    "site.yaml");
    require_single_error(result, "site.yaml", 9, 18, "sessions.s.packet_size",
                         "\"1.5 parsecs\" is not a size");
}

TEST_CASE("a bad enum value gets a did-you-mean") {
    const auto result =
        load_string("version: 1\nserver: {interfaces: [lab0]}\ndhcp:\n  mode: prxy\n", "site.yaml");
    require_single_error(result, "site.yaml", 4, 9, "dhcp.mode",
                         "\"prxy\" is not allowed (did you mean \"proxy\"?), expected proxy, full "
                         "or off");
}

TEST_CASE("a bad boolean") {
    const auto flag = load_string(
        "version: 1\nserver: {interfaces: [lab0]}\ndhcp: {mode: proxy, authoritative: maybe}\n",
        "site.yaml");
    require_single_error(flag, "site.yaml", 3, 36, "dhcp.authoritative",
                         "\"maybe\" is not a boolean, expected true or false");
}

TEST_CASE("a bad MAC address, as in the issue") {
    const auto result = load_string(base_config +
                                        "hosts:\n"
                                        "  - mac: \"52:54:00:00:00:01\"\n"
                                        "    name: ws01\n"
                                        "  - name: ws02\n"
                                        "    mac: \"52:54:00:zz:00:01\"\n",
                                    "site.yaml");
    require_single_error(result, "site.yaml", 9, 10, "hosts[1].mac",
                         "\"52:54:00:zz:00:01\" is not a MAC address, expected six hex octets "
                         "like 52:54:00:12:34:56");
    CHECK(result.diagnostics[0].to_string() ==
          "site.yaml:9:10: hosts[1].mac: \"52:54:00:zz:00:01\" is not a MAC address, expected six "
          "hex octets like 52:54:00:12:34:56");
}

TEST_CASE("a bad IPv4 address") {
    const auto result = load_string(
        "version: 1\nserver: {interfaces: [lab0]}\ndhcp:\n  mode: full\n  pools:\n"
        "    - interface: lab0\n      range: [198.18.0.100, 198.18.0.300]\n",
        "site.yaml");
    require_single_error(result, "site.yaml", 7, 29, "dhcp.pools[0].range[1]",
                         "\"198.18.0.300\" is not an IPv4 address");
}

TEST_CASE("a bad name of a group") {
    const auto result = load_string(base_config + "groups:\n  \"bad name\": {}\n", "site.yaml");
    require_single_error(result, "site.yaml", 6, 3, "groups", "\"bad name\" is not a valid name");
}
