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

TEST_CASE("sizes for people keep the exact number") {
    CHECK(castline::size_text(0) == "0 bytes");
    CHECK(castline::size_text(1) == "1 byte");
    CHECK(castline::size_text(1023) == "1023 bytes");
    CHECK(castline::size_text(1024) == "1.0 KiB (1024 bytes)");
    CHECK(castline::size_text(536870912) == "512.0 MiB (536870912 bytes)");
    CHECK(castline::size_text((1ull << 30) - 1) == "1.0 GiB (1073741823 bytes)");
    CHECK(castline::size_text(62914560) == "60.0 MiB (62914560 bytes)");
    CHECK(castline::size_text(~0ull) == "16.0 EiB (18446744073709551615 bytes)");
    CHECK(castline::human_size(1536) == "1.5 KiB");
    CHECK(castline::human_size(5ull << 40) == "5.0 TiB");
}
