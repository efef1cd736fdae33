// include: other files' hosts and named sections merge in; their errors name them.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

namespace {
const std::string top =
    "version: 1\n"
    "server: {interfaces: [lab0], data_dir: /var/lib/castline}\n"
    "boot: {root: .}\n"
    "include: [fleet/hosts-a.yaml]\n"
    "groups: {lab: {action: local}}\n";
}

TEST_CASE("hosts and groups of an included file merge into the config") {
    TempDir dir;
    dir.write("fleet/hosts-a.yaml",
              "hosts:\n  - {mac: \"52:54:00:00:00:01\", name: ws01, group: extra}\n"
              "groups: {extra: {action: local}}\n"
              "include: more.yaml\n");
    dir.write("fleet/more.yaml",
              "hosts:\n  - {mac: \"52:54:00:00:00:02\", name: ws02, group: lab}\n");
    const auto result = load_file(dir.write("site.yaml", top));
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    REQUIRE(result.config->hosts.size() == 2);
    CHECK(result.config->hosts[1].name == "ws02");
    CHECK(result.config->groups.count("extra") == 1);
    CHECK(result.config->included_files.size() == 2);
    CHECK(result.config->hosts[1].location.file == (dir.path() / "fleet/more.yaml").string());
}

TEST_CASE("an error in an included file names that file") {
    TempDir dir;
    dir.write("fleet/hosts-a.yaml",
              "hosts:\n  - mac: \"52:54:00:00:00:01\"\n    name: ws01\n    groop: lab\n");
    const auto result = load_file(dir.write("site.yaml", top));
    require_single_error(result, (dir.path() / "fleet/hosts-a.yaml").string(), 4, 5,
                         "hosts[0].groop", "did you mean \"group\"?");
}

TEST_CASE("a reference from an included file to an undefined group names the included line") {
    TempDir dir;
    dir.write("fleet/hosts-a.yaml",
              "hosts:\n  - {mac: \"52:54:00:00:00:01\", name: ws01, group: lb}\n");
    const auto result = load_file(dir.write("site.yaml", top));
    require_single_error(result, (dir.path() / "fleet/hosts-a.yaml").string(), 2, 51,
                         "hosts[0].group",
                         "group \"lb\" is not defined under groups (did you mean \"lab\"?)");
}

TEST_CASE("a missing include file is an error at the include entry") {
    TempDir dir;
    const auto result = load_file(dir.write("site.yaml", top));
    require_single_error(result, (dir.path() / "site.yaml").string(), 4, 11, "include[0]",
                         "fleet/hosts-a.yaml\" does not exist, expected a YAML file");
}

TEST_CASE("an include cycle and a file included twice are errors") {
    TempDir dir;
    dir.write("fleet/hosts-a.yaml", "include: [../site.yaml]\n");
    const auto cycle = load_file(dir.write("site.yaml", top));
    require_single_error(cycle, (dir.path() / "fleet/hosts-a.yaml").string(), 1, 11, "include[0]",
                         "includes itself (an include cycle)");

    dir.write("fleet/hosts-a.yaml", "include: [b.yaml, ./b.yaml]\n");
    dir.write("fleet/b.yaml", "hosts: []\n");
    const auto twice = load_file(dir.path() / "site.yaml");
    require_single_error(
        twice, (dir.path() / "fleet/hosts-a.yaml").string(), 1, 19, "include[1]",
        "is already included at " + (dir.path() / "fleet/hosts-a.yaml").string() + ":1:11");
}

TEST_CASE("only the top-level file sets server, dhcp, boot and wake") {
    TempDir dir;
    dir.write("fleet/hosts-a.yaml", "dhcp: {mode: full}\n");
    const auto result = load_file(dir.write("site.yaml", top));
    require_single_error(result, (dir.path() / "fleet/hosts-a.yaml").string(), 1, 7, "dhcp",
                         "only the top-level site config may set dhcp");
}

TEST_CASE("a group defined in two files names the first definition") {
    TempDir dir;
    dir.write("fleet/hosts-a.yaml", "groups:\n  lab: {action: image, image: x}\n");
    const auto result = load_file(dir.write("site.yaml", top));
    require_single_error(
        result, (dir.path() / "fleet/hosts-a.yaml").string(), 2, 8, "groups.lab",
        "group \"lab\" is already defined at " + (dir.path() / "site.yaml").string() + ":5:15");
}

TEST_CASE("a YAML syntax error in an included file names that file") {
    TempDir dir;
    dir.write("fleet/hosts-a.yaml", "hosts: [\n");
    const auto result = load_file(dir.write("site.yaml", top));
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].location.file == (dir.path() / "fleet/hosts-a.yaml").string());
    CHECK(result.diagnostics[0].message.find("YAML syntax error") != std::string::npos);
}

TEST_CASE("an include naming a FIFO is refused without waiting for a writer") {
    TempDir dir;
    REQUIRE(::mkfifo((dir.path() / "fleet").c_str(), 0600) == 0);
    const auto result = load_file(dir.write(
        "site.yaml",
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot: {root: .}\n"
        "include: [fleet]\n"));
    require_single_error(result, (dir.path() / "site.yaml").string(), 4, 11, "include[0]",
                         "is not a regular file");
}
