#include <doctest/doctest.h>

#include "common/duration.hpp"

using namespace std::chrono_literals;

TEST_CASE("durations") {
    CHECK(castline::parse_duration("90") == 90s);
    CHECK(castline::parse_duration("1h") == 3600s);
    CHECK(castline::parse_duration("1h30m") == 5400s);
    CHECK(castline::parse_duration("2d") == 172800s);
    for (const char* bad : {"", "h", "1x", "-5s", "1h30", "99999999999s"})
        CHECK_MESSAGE(!castline::parse_duration(bad), bad);
}

TEST_CASE("sizes") {
    CHECK(castline::parse_size("512") == 512u);
    CHECK(castline::parse_size("4GiB") == 4ull << 30);
    CHECK(castline::parse_size("1.5MB") == 1500000u);
    for (const char* bad : {"", "GiB", "4 GiB", "4XB", "-1"})
        CHECK_MESSAGE(!castline::parse_size(bad), bad);
}
