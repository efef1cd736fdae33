// References to things that must be defined, each reported at the referring value.
#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

namespace {
// Lines 5-16: one of everything, all consistent.
const std::string defined =
    base_config +
    "images:\n"  // 5
    // Any regular file stands for the captured image hosts of group lab are imaged from.
    "  base: {path: " CASTLINE_SOURCE_DIR
    "/README.md}\n"                                                                       // 6
    "sessions:\n"                                                                         // 7
    "  s: {image: base}\n"                                                                // 8
    "postconfig:\n"                                                                       // 9
    "  win: {sysprep: {UserData: {OrgName: \"${Org}\"}}}\n"                               // 10
    "groups:\n"                                                                           // 11
    "  lab: {image: base, action: image, session: s, postconfig: win, vars: {Org: X}}\n"  // 12
    "rollouts:\n"                                                                         // 13
    "  r: {groups: [lab]}\n"                                                              // 14
    "schedules:\n"                                                                        // 15
    "  nightly: {kind: daily, at: \"22:00\", rollout: r}\n";                              // 16
}  // namespace

TEST_CASE("a consistent config has no reference errors") {
    const auto result = load_string(
        defined + "hosts: [{mac: \"52:54:00:00:00:01\", name: a, group: lab}]\n", "site.yaml");
    INFO(all_text(result.diagnostics));
    CHECK(result.ok());
}

TEST_CASE("a host in an undefined group") {
    const auto result = load_string(
        defined + "hosts:\n  - mac: \"52:54:00:00:00:01\"\n    name: a\n    group: lap\n",
        "site.yaml");
    require_single_error(result, "site.yaml", 20, 12, "hosts[0].group",
                         "group \"lap\" is not defined under groups (did you mean \"lab\"?), "
                         "expected one of lab");
}

TEST_CASE("a group naming an undefined image, session and postconfig") {
    const auto result = load_string(
        base_config + "groups:\n  g:\n    image: nope\n    session: nope\n    postconfig: nope\n",
        "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.diagnostics.size() == 3);
    CHECK(result.diagnostics[0].key_path == "groups.g.image");
    CHECK(result.diagnostics[0].location.line == 7);
    CHECK(result.diagnostics[0].location.column == 12);
    CHECK(result.diagnostics[0].message ==
          "image \"nope\" is not defined under images, no images are defined");
    CHECK(result.diagnostics[1].key_path == "groups.g.session");
    CHECK(result.diagnostics[2].key_path == "groups.g.postconfig");
}

TEST_CASE("a session sending an undefined image") {
    const auto result = load_string(
        base_config + "images: {base: {path: b.cimg}}\nsessions:\n  s:\n    image: bsae\n",
        "site.yaml");
    require_single_error(result, "site.yaml", 8, 12, "sessions.s.image",
                         "image \"bsae\" is not defined under images (did you mean \"base\"?)");
}

TEST_CASE("a schedule starting an undefined rollout") {
    std::string text = defined;
    text.replace(text.find("rollout: r}"), 11, "rollout: q}");
    const auto result = load_string(text, "site.yaml");
    require_single_error(result, "site.yaml", 16, 48, "schedules.nightly.rollout",
                         "rollout \"q\" is not defined under rollouts");
}

TEST_CASE("a rollout naming an undefined host, group and postconfig") {
    std::string text = defined;
    text.replace(text.find("  r: {groups: [lab]}"), 20,
                 "  r: {hosts: [zz], groups: [lab, lob], postconfig: wn}");
    const auto bad = load_string(text, "site.yaml");
    INFO(all_text(bad.diagnostics));
    REQUIRE(bad.diagnostics.size() == 3);
    CHECK(bad.diagnostics[0].key_path == "rollouts.r.hosts[0]");
    CHECK(bad.diagnostics[0].location.column == 15);
    CHECK(bad.diagnostics[1].key_path == "rollouts.r.groups[1]");
    CHECK(bad.diagnostics[1].location.column == 34);
    CHECK(bad.diagnostics[2].key_path == "rollouts.r.postconfig");
}

TEST_CASE("a group whose session sends another image") {
    std::string text = defined;
    text.replace(text.find("  s: {image: base}"), 18, "  s: {image: other}\n  x: {image: base}");
    text.insert(text.find('\n', text.find("  base: {path: ")) + 1, "  other: {path: o.cimg}\n");
    const auto result = load_string(text, "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].key_path == "groups.lab.session");
    CHECK(result.diagnostics[0].message.find(
              "sends image \"other\" but the group's image is \"base\"") != std::string::npos);
}

TEST_CASE("an imaged host must have an image through its group") {
    const auto result = load_string(
        base_config +
            "groups: {g: {action: local}}\n"
            "hosts:\n  - {mac: \"52:54:00:00:00:01\", name: a, group: g, action: image}\n",
        "site.yaml");
    require_single_error(result, "site.yaml", 7, 59, "hosts[0].action",
                         "its group \"g\" names no image");
}

TEST_CASE("a post-config variable that neither host nor group sets") {
    std::string text = defined;
    text.replace(text.find(", vars: {Org: X}"), 16, "");
    const auto result = load_string(
        text +
            "hosts:\n  - {mac: \"52:54:00:00:00:01\", name: a, group: lab, vars: {Org: Y}}\n"
            "  - {mac: \"52:54:00:00:00:02\", name: b, group: lab}\n",
        "site.yaml");
    require_single_error(
        result, "site.yaml", 19, 5, "hosts[1].vars",
        "postconfig \"win\" uses ${Org}, which neither this host nor group \"lab\" "
        "sets, expected vars: {Org: ...}");
}

TEST_CASE("pools and sessions on interfaces that are not served") {
    const auto result = load_string(
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot: {root: .}\n"
        "dhcp:\n  mode: full\n  pools: [{interface: lab1, range: [198.18.0.1, 198.18.0.9]}]\n",
        "site.yaml");
    require_single_error(result, "site.yaml", 6, 23, "dhcp.pools[0].interface",
                         "interface \"lab1\" is not in server.interfaces, expected one of lab0");
}

TEST_CASE("proxy mode with no served interface") {
    const auto result = load_string("version: 1\nboot: {root: ./boot}\n", "site.yaml");
    require_single_error(result, "site.yaml", 1, 1, "server.interfaces", "no interface is served");
}

TEST_CASE("unknown hosts joining an undefined group") {
    const auto result = load_string(
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot:\n  root: .\n "
        " unknown_hosts: group\n"
        "  unknown_hosts_group: newcomers\n",
        "site.yaml");
    require_single_error(result, "site.yaml", 6, 24, "boot.unknown_hosts_group",
                         "group \"newcomers\" is not defined");
}
