// The one-line summary of what a reload changes.
#include "daemon/config_changes.hpp"

#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "tests/config/config_test_support.hpp"

using namespace castline;
using config::testing::base_config;

namespace {
config::SiteConfig load(const std::string& rest, const std::string& head = base_config) {
    auto result = config::load_string(head + rest, "site.yaml");
    INFO(config::testing::all_text(result.diagnostics));
    REQUIRE(result.ok());
    return *result.config;
}
}  // namespace

TEST_CASE("nothing changed: an empty summary") {
    const std::string text = "hosts: [{mac: \"52:54:00:00:00:01\", name: a}]\n";
    CHECK(daemon::describe_changes(load(text), load(text)).empty());
}

TEST_CASE("hosts and groups that came, went or changed, and the fixed settings that differ") {
    const auto before = load(
        "groups: {lab: {action: local}, old: {}}\n"
        "hosts:\n"
        "  - {mac: \"52:54:00:00:00:01\", name: a, group: lab}\n"
        "  - {mac: \"52:54:00:00:00:02\", name: b}\n",
        "version: 1\nserver: {interfaces: [lab0], log_level: info, data_dir: /var/lib/castline}\n"
        "boot: {root: .}\n");
    const auto after = load(
        "groups: {lab: {action: local, vars: {Org: X}}, new: {}}\n"
        "hosts:\n"
        "  - {mac: \"52:54:00:00:00:01\", name: a, group: lab}\n"
        "  - {mac: \"52:54:00:00:00:03\", name: b}\n"
        "  - {mac: \"52:54:00:00:00:04\", name: c}\n",
        "version: 1\nserver: {interfaces: [lab0], log_level: debug, data_dir: /var/lib/castline}\n"
        "boot: {root: .}\n");
    CHECK(daemon::describe_changes(before, after) ==
          "server log_level; hosts +c ~b; groups +new -old ~lab");
}
