#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline;
using namespace castline::config;
using namespace castline::config::testing;

namespace {
const std::string head =
    base_config + "images: {a: {path: a.cimg}}\nsessions:\n  s:\n    image: a\n";
}

TEST_CASE("a session with every key") {
    const auto result =
        load_string(head +
                        "    address: 239.1.2.3\n    port: 9000\n    control_port: 9001\n"
                        "    interface: lab0\n    packet_size: 8KiB\n    rate_mbit: 500.5\n"
                        "    ttl: 4\n    clients: 10\n    min_clients: 2\n    max_wait: 5m\n"
                        "    max_clients: 20\n    constantcast: true\n    time_limit: 1h\n"
                        "    late_policy: drop\n",
                    "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& s = result.config->sessions.at("s");
    CHECK(s.address == *Ipv4Address::parse("239.1.2.3"));
    CHECK(s.packet_size == 8192);
    CHECK(s.rate_mbit == doctest::Approx(500.5));
    CHECK(s.max_wait == std::chrono::minutes(5));
    CHECK(s.late_policy == LatePolicy::drop);
    CHECK(s.constantcast);
}

TEST_CASE("a unicast group address") {
    require_single_error(load_string(head + "    address: 198.18.0.1\n", "site.yaml"), "site.yaml",
                         9, 14, "sessions.s.address", "198.18.0.1 is not a multicast address");
    require_single_error(load_string(head + "    address: 224.0.0.5\n", "site.yaml"), "site.yaml",
                         9, 14, "sessions.s.address", "reserved for local control traffic");
}

TEST_CASE("auto-start rules that contradict themselves") {
    require_single_error(load_string(head + "    clients: 30\n    max_clients: 20\n", "site.yaml"),
                         "site.yaml", 9, 14, "sessions.s.clients",
                         "30 is more than max_clients 20");
    require_single_error(load_string(head + "    min_clients: 3\n", "site.yaml"), "site.yaml", 9,
                         18, "sessions.s.max_wait", "min_clients is set without max_wait");
    require_single_error(load_string(head + "    packet_size: 100\n", "site.yaml"), "site.yaml", 9,
                         18, "sessions.s.packet_size", "out of range, expected 512 to 8972 bytes");
}
