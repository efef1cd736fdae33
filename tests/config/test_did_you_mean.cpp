#include "config/did_you_mean.hpp"

#include <doctest/doctest.h>

#include <array>

using namespace castline::config;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps, ignoring case") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("log_levl", "log_level") == 1);
    CHECK(edit_distance("porxy", "proxy") == 1);  // adjacent swap
    CHECK(edit_distance("Proxy", "proxy") == 0);
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("did_you_mean suggests only close candidates") {
    constexpr std::array<std::string_view, 3> keys{"interfaces", "data_dir", "log_level"};
    CHECK(did_you_mean("log_levl", keys) == "log_level");
    CHECK(did_you_mean("interface", keys) == "interfaces");
    CHECK(did_you_mean("datadir", keys) == "data_dir");
    CHECK_FALSE(did_you_mean("bogus", keys).has_value());
    constexpr std::array<std::string_view, 3> modes{"proxy", "full", "off"};
    CHECK(did_you_mean("prxy", modes) == "proxy");
    CHECK_FALSE(did_you_mean("on", modes).has_value());  // "off" is 2 edits from a 2-letter word
    CHECK(suggestion_suffix(std::string("x")) == " (did you mean \"x\"?)");
    CHECK(suggestion_suffix(std::nullopt).empty());
}
