// YAML layout errors named by their likely cause, and merge keys (<<) expanded before parsing.
#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

namespace {
Diagnostic single(const LoadResult& result) {
    INFO(all_text(result.diagnostics));
    REQUIRE(result.diagnostics.size() == 1);
    return result.diagnostics[0];
}
}  // namespace

TEST_CASE("a tab in the indentation is named at the tab") {
    const auto d = single(load_string("version: 1\nserver:\n\tinterfaces: [lab0]\n", "s.yaml"));
    CHECK(d.location.line == 3);
    CHECK(d.location.column == 1);
    CHECK(d.message.find("a tab in the indentation, expected spaces") != std::string::npos);
    CHECK(d.message.find("(YAML: illegal map value)") != std::string::npos);
}

TEST_CASE("a key indented more than the line above names both indentations") {
    const auto d = single(
        load_string("version: 1\nserver:\n  interfaces: [lab0]\n   data_dir: x\n", "s.yaml"));
    CHECK(d.location.line == 4);
    CHECK(d.location.column == 4);
    CHECK(d.message.find("indented 3 spaces, more than line 3 above (2 spaces), expected 2 "
                         "spaces") != std::string::npos);
}

TEST_CASE("a key indented less than the line above lists the columns that would fit") {
    const auto d = single(load_string(
        "version: 1\nhosts:\n  - mac: \"52:54:00:00:00:01\"\n    name: a\n   group: g\n",
        "s.yaml"));
    CHECK(d.location.line == 5);
    CHECK(d.message.find("(3 spaces) matches neither line 4 above nor a map around it, expected "
                         "4, 2 or 0 spaces") != std::string::npos);
}

TEST_CASE("a line indented under a plain value is read as part of that value") {
    const auto d = single(load_string(
        "version: 1\nhosts:\n  - mac: \"52:54:00:00:00:01\"\n    name: a\n     group: g\n",
        "s.yaml"));
    CHECK(d.location.line == 5);
    CHECK(d.location.column == 6);
    CHECK(d.message.find("so YAML reads it as part of the value of line 4, expected 4 spaces") !=
          std::string::npos);
}

TEST_CASE("a second colon on a line asks for quotes") {
    const auto d = single(load_string("version: 1\nboot: {kernel_args: a: b}\n", "s.yaml"));
    CHECK(d.location.line == 2);
    CHECK(d.message.find("in quotes") != std::string::npos);
}

TEST_CASE("an inline map that is not closed names its opening brace") {
    const auto& d =
        single(load_string("version: 1\ngroups:\n  a: {action: local\n  b: {}\n", "s.yaml"));
    CHECK(d.message.find("the '{' at line 3 column 6 is not closed, expected '}'") !=
          std::string::npos);
}

TEST_CASE("merge keys share settings between groups; local keys win") {
    TempDir dir;
    dir.write("base.cimg", "x");
    const auto result = load_file(dir.write(
        "site.yaml", base_config +
                         "images: {base: {path: base.cimg}}\n"
                         "groups:\n"
                         "  line: &defaults {image: base, action: image, verify: false}\n"
                         "  office: {<<: *defaults, action: local}\n"
                         "  lab:\n"
                         "    <<: [{power: poweroff}, *defaults, {power: stay, verify: true}]\n"));
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& groups = result.config->groups;
    CHECK(groups.at("office").image == "base");
    CHECK(groups.at("office").action == HostAction::local);
    CHECK(groups.at("office").imaging.verify == false);
    // In a list the earlier map wins.
    CHECK(groups.at("lab").imaging.power == PowerAction::poweroff);
    CHECK(groups.at("lab").imaging.verify == false);
    CHECK(groups.at("lab").action == HostAction::image);
}

TEST_CASE("a problem in a merged value is reported where that value was written") {
    const auto result = load_string(base_config +
                                        "groups:\n"
                                        "  line: &d\n"
                                        "    actoin: local\n"
                                        "  office: {<<: *d}\n",
                                    "s.yaml");
    INFO(all_text(result.diagnostics));
    bool found = false;
    for (const auto& d : result.diagnostics)
        if (d.key_path == "groups.office.actoin") {
            found = true;
            CHECK(d.location.line == 7);
            CHECK(d.location.column == 5);
            CHECK(d.message.find("did you mean \"action\"") != std::string::npos);
        }
    CHECK(found);
}

TEST_CASE("a merge key whose value is not a map is an error at that value") {
    require_single_error(load_string(base_config + "groups:\n  a: {<<: 5}\n", "s.yaml"), "s.yaml",
                         6, 11, "<<", "\"5\" cannot be merged, expected a map");
}

TEST_CASE("a quoted \"<<\" stays an ordinary key") {
    const auto result =
        load_string(base_config + "groups:\n  a: {\"<<\": {action: local}}\n", "s.yaml");
    require_single_error(result, "s.yaml", 6, 7, "groups.a.<<", "unknown key \"<<\"");
}

TEST_CASE("a merge key beside a quoted \"<<\" removes only itself") {
    const auto result =
        load_string(base_config + "groups:\n  a: {<<: {action: local}, \"<<\": 1}\n", "s.yaml");
    require_single_error(result, "s.yaml", 6, 28, "groups.a.<<", "unknown key \"<<\"");
}
