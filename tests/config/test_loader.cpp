// The loader as a whole: versions, all errors at once in order, relative paths, files that are
// not configs, and yaml-cpp's failures turned into diagnostics.
#include "config/loader.hpp"

#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

TEST_CASE("version missing") {
    const auto result = load_string("server: {interfaces: [lab0]}\n", "site.yaml");
    require_single_error(result, "site.yaml", 1, 1, "version", "missing, expected version: 1");
}

TEST_CASE("version not 1") {
    const auto result = load_string("version: 2\nserver: {interfaces: [lab0]}\n", "site.yaml");
    require_single_error(result, "site.yaml", 1, 10, "version",
                         "\"2\" is not a schema version castline knows, expected 1");
}

TEST_CASE("every error is reported at once, sorted by position") {
    const auto result = load_string(
        "version: 1\n"                                     // 1
        "server: {interfaces: [lab0], log_level: loud}\n"  // 2
        "dhcp: {mode: proxy}\n"                            // 3
        "boot: {http_port: -1}\n"                          // 4
        "wake: {count: 0}\n"                               // 5
        "hosts:\n"                                         // 6
        "  - {mac: \"52:54:00:00:00:01\", name: ws01}\n"   // 7
        "  - {mac: \"52:54:00:00:00:01\", name: ws02}\n"   // 8
        "  - {mac: nope, name: ws03, colour: red}\n",      // 9
        "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.diagnostics.size() == 6);
    const std::vector<std::pair<int, std::string>> expected{
        {2, "server.log_level"}, {4, "boot.http_port"}, {5, "wake.count"},
        {8, "hosts[1].mac"},     {9, "hosts[2].mac"},   {9, "hosts[2].colour"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(result.diagnostics[i].location.line == expected[i].first);
        CHECK(result.diagnostics[i].key_path == expected[i].second);
    }
    CHECK(result.diagnostics[3].message.find("hosts[0] (ws01) at site.yaml:7:11") !=
          std::string::npos);
}

TEST_CASE("relative paths are relative to the config file, absolute ones stay") {
    TempDir dir;
    const auto file = dir.write("site/site.yaml",
                                "version: 1\nserver: {interfaces: [lab0], data_dir: ./state}\n"
                                "boot: {root: /srv/castline/boot}\n"
                                "images: {base: {path: ../images/base.cimg}}\n");
    const auto result = load_file(file);
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    CHECK(result.config->server.data_dir == dir.path() / "site/state");
    CHECK(result.config->boot.root == "/srv/castline/boot");
    CHECK(result.config->images.at("base").path == dir.path() / "images/base.cimg");
}

TEST_CASE("defaults that are paths are relative to the config file too") {
    TempDir dir;
    const auto file = dir.write("site.yaml", "version: 1\nserver: {interfaces: [lab0]}\n");
    const auto result = load_file(file);
    REQUIRE(result.ok());
    CHECK(result.config->server.data_dir == dir.path() / "state");
    CHECK(result.config->boot.root == dir.path() / "boot");
}

TEST_CASE("a file that cannot be read, an empty one and one that is not a map") {
    TempDir dir;
    const auto missing = load_file(dir.path() / "nope.yaml");
    REQUIRE(missing.diagnostics.size() == 1);
    CHECK(missing.diagnostics[0].message.find("does not exist") != std::string::npos);
    CHECK(load_file(dir.path()).diagnostics.at(0).message.find("not a regular file") !=
          std::string::npos);
    require_single_error(load_string("", "empty.yaml"), "empty.yaml", 1, 1, "",
                         "the file is empty");
    require_single_error(load_string("- a\n- b\n", "list.yaml"), "list.yaml", 1, 1, "",
                         "a list is not a map");
}

TEST_CASE("deep nesting and other yaml-cpp failures become diagnostics, never a crash") {
    const std::string deep = "version: 1\nhosts: " + std::string(100000, '[') + "\n";
    const auto result = load_string(deep, "deep.yaml");
    CHECK_FALSE(result.ok());
    REQUIRE_FALSE(result.diagnostics.empty());
    CHECK(result.diagnostics[0].location.file == "deep.yaml");
    const auto aliases = load_string("version: 1\nserver: &a {interfaces: *a}\n", "alias.yaml");
    CHECK_FALSE(aliases.ok());
}

TEST_CASE("diagnostics print as FILE:LINE:COL: key.path: message; warnings say so") {
    Diagnostic error{{"site.yaml", 12, 7}, "hosts[3].mac", "bad"};
    CHECK(error.to_string() == "site.yaml:12:7: hosts[3].mac: bad");
    Diagnostic warning{
        {"site.yaml", 1, 2}, "images.a.path", "later", Diagnostic::Severity::warning};
    CHECK(warning.to_string() == "site.yaml:1:2: warning: images.a.path: later");
    Diagnostic bare{{"site.yaml", 1, 1}, "", "empty"};
    CHECK(bare.to_string() == "site.yaml:1:1: empty");
}

TEST_CASE("castlined's lifecycle config (dhcp off on lo, ports 0) is valid") {
    const auto result = load_string(
        "version: 1\nserver:\n  interfaces: [lo]\n  data_dir: ./state\n  log_level: info\n"
        "boot:\n  root: ./boot\n  tftp_port: 0\n  http_port: 0\ndhcp:\n  mode: off\n",
        "site.yaml");
    INFO(all_text(result.diagnostics));
    CHECK(result.ok());
}
