#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

TEST_CASE("a rollout with every key") {
    const auto result = load_string(
        base_config +
            // Any regular file stands for the captured image the rollout images hosts from.
            "images: {a: {path: " CASTLINE_SOURCE_DIR
            "/README.md}}\nsessions: {s: {image: a}}\npostconfig: {p: {}}\ngroups: "
            "{g: {}}\n"
            "hosts: [{mac: \"52:54:00:00:00:01\", name: ws01}]\n"
            "rollouts:\n  r:\n    hosts: [ws01]\n    groups: [g]\n    selector: {Line: A}\n    "
            "image: a\n"
            "    session: s\n    postconfig: p\n    wave_size: 8\n    wave_interval: 1m\n    "
            "max_concurrent: 16\n"
            "    success_threshold: 95%\n    time_limit: 4h\n    stop_on_failure: false\n",
        "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& r = result.config->rollouts.at("r");
    CHECK(r.hosts == std::vector<std::string>{"ws01"});
    CHECK(r.selector.at("Line") == "A");
    CHECK(r.wave_interval == std::chrono::minutes(1));
    CHECK(r.success_threshold == "95%");
    CHECK_FALSE(r.stop_on_failure);
}

TEST_CASE("rollout errors") {
    require_single_error(load_string(base_config + "rollouts:\n  r: {wave_size: 8}\n", "site.yaml"),
                         "site.yaml", 6, 6, "rollouts.r.hosts", "the rollout selects no hosts");
    require_single_error(
        load_string(base_config +
                        "groups: {g: {}}\nrollouts:\n  r: {groups: [g], success_threshold: 120%}\n",
                    "site.yaml"),
        "site.yaml", 7, 39, "rollouts.r.success_threshold", "\"120%\" is not a threshold");
    require_single_error(
        load_string(base_config + "groups: {g: {}}\nrollouts:\n  r: {groups: [g], wave_size: 0}\n",
                    "site.yaml"),
        "site.yaml", 7, 31, "rollouts.r.wave_size", "out of range");
}
