#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline;
using namespace castline::config;
using namespace castline::config::testing;

TEST_CASE("imaging keys on a group, a host overriding some of them") {
    const auto result =
        load_string(base_config +
                        "groups:\n"
                        "  line:\n"
                        "    restore: unicast\n"
                        "    disk: {model: \"QEMU*\", min_size: 1GiB, max_size: 2TB}\n"
                        "    verify: false\n"
                        "    power: poweroff\n"
                        "    on_error: poweroff\n"
                        "hosts:\n"
                        "  - {mac: \"52:54:00:00:00:01\", name: a, group: line}\n"
                        "  - {mac: \"52:54:00:00:00:02\", name: b, group: line,\n"
                        "     disk: {path: /dev/sdb}, power: stay, verify: true}\n",
                    "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& c = *result.config;
    const auto a = imaging_for(c, c.hosts.at(0));
    CHECK(a.restore == RestoreMethod::unicast);
    REQUIRE(a.disk);
    CHECK(a.disk->model == "QEMU*");
    CHECK(a.disk->min_size == 1ull << 30);
    CHECK(a.disk->max_size == 2'000'000'000'000ull);
    CHECK_FALSE(a.verify);
    CHECK(a.power == PowerAction::poweroff);
    CHECK(a.on_error == ErrorAction::poweroff);
    const auto b = imaging_for(c, c.hosts.at(1));
    REQUIRE(b.disk);
    CHECK(*b.disk == DiskRule{.path = "/dev/sdb"});  // the host's rule replaces the group's whole
    CHECK(b.verify);
    CHECK(b.power == PowerAction::stay);
    CHECK(b.on_error == ErrorAction::poweroff);
}

TEST_CASE("defaults: session restore when the group names a session, else unicast") {
    const auto result = load_string(base_config +
                                        "groups: {plain: {}}\n"
                                        "hosts:\n"
                                        "  - {mac: \"52:54:00:00:00:01\", name: a, group: plain}\n"
                                        "  - {mac: \"52:54:00:00:00:02\", name: b}\n",
                                    "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    for (const auto& host : result.config->hosts) {
        const auto i = imaging_for(*result.config, host);
        CHECK(i.restore == RestoreMethod::unicast);
        CHECK_FALSE(i.disk);
        CHECK(i.verify);
        CHECK(i.power == PowerAction::reboot);
        CHECK_FALSE(i.on_error);
    }
}

TEST_CASE("imaging key errors name the key and what was expected") {
    require_single_error(load_string(base_config + "groups:\n  g: {power: halt}\n", "site.yaml"),
                         "site.yaml", 6, 14, "groups.g.power", "expected reboot, poweroff or stay");
    require_single_error(
        load_string(base_config + "groups:\n  g: {restore: multicast}\n", "site.yaml"), "site.yaml",
        6, 16, "groups.g.restore", "expected session or unicast");
    require_single_error(
        load_string(base_config + "groups:\n  g: {on_error: reboot}\n", "site.yaml"), "site.yaml",
        6, 17, "groups.g.on_error", "expected wait or poweroff");
    require_single_error(
        load_string(base_config + "groups:\n  g: {disk: {path: sda}}\n", "site.yaml"), "site.yaml",
        6, 20, "groups.g.disk.path", "expected /dev/NAME");
    require_single_error(load_string(base_config + "groups:\n  g: {disk: {}}\n", "site.yaml"),
                         "site.yaml", 6, 13, "groups.g.disk", "names no criterion");
    require_single_error(
        load_string(base_config + "groups:\n  g: {disk: {min_size: 2GiB, max_size: 1GiB}}\n",
                    "site.yaml"),
        "site.yaml", 6, 40, "groups.g.disk.max_size", "smaller than min_size");
    require_single_error(
        load_string(base_config + "groups:\n  g: {disk: {size: 2GiB}}\n", "site.yaml"), "site.yaml",
        6, 14, "groups.g.disk.size", "unknown key");
}

TEST_CASE("restore: session needs a session on the group") {
    require_single_error(
        load_string(base_config + "groups:\n  g: {restore: session}\n", "site.yaml"), "site.yaml",
        6, 16, "groups.g.restore", "names no session");
    require_single_error(
        load_string(base_config +
                        "groups: {g: {}}\n"
                        "hosts:\n"
                        "  - {mac: \"52:54:00:00:00:01\", name: a, group: g, restore: session}\n",
                    "site.yaml"),
        "site.yaml", 7, 60, "hosts[0].restore", "group \"g\" names no session");
}
