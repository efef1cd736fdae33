#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "imager/progress.hpp"

using namespace castline::imager;

TEST_CASE("the machine-readable line has done, total, rate, elapsed and remaining") {
    ProgressSnapshot s{"restore", 250'000'000, 1'000'000'000, 2.5};
    CHECK(format_progress_line(s) ==
          "progress phase=restore bytes_done=250000000 bytes_total=1000000000 "
          "rate_bytes_per_s=100000000 elapsed_s=2.5 remaining_s=8");
    s.done = 0;
    CHECK(format_progress_line(s).find("remaining_s=-1") != std::string::npos);
    s.done = s.total;
    CHECK(format_progress_line(s).find("remaining_s=0") != std::string::npos);
}

TEST_CASE("before the data flows, the line and the bar say what it waits for") {
    ProgressSnapshot s{"restore", 0, 1000, 3.0};
    s.waiting = "waiting for the session to start: 1 of 2 joined";
    CHECK(format_progress_line(s) == "waiting for the session to start: 1 of 2 joined");
    CHECK(format_progress_bar(s, 10) == "waiting for the session to start: 1 of 2 joined");
}

TEST_CASE("the bar shows the fraction") {
    const ProgressSnapshot s{"capture", 50, 100, 1.0};
    const auto bar = format_progress_bar(s, 10);
    CHECK(bar.find("[#####     ]") != std::string::npos);
    CHECK(bar.find("50.0%") != std::string::npos);
    // Sizes for people on the bar; the lines keep bytes for programs.
    const ProgressSnapshot big{"restore", 256ull << 20, 512ull << 20, 2.0};
    CHECK(format_progress_bar(big, 4) ==
          "restore [##  ]  50.0%   256.0 MiB of 512.0 MiB    128.0 MiB/s  0m2s left     ");
}

TEST_CASE("lines style prints a final line with the total when finished") {
    std::FILE* out = std::tmpfile();
    REQUIRE(out);
    {
        Progress p("validate", 1000, Progress::Style::lines, out);
        p.add(600);
        p.add(400);
        p.finish();
    }
    std::rewind(out);
    char buffer[512] = {};
    const auto n = std::fread(buffer, 1, sizeof buffer - 1, out);
    std::fclose(out);
    const std::string text(buffer, n);
    CHECK(text.find("progress phase=validate bytes_done=1000 bytes_total=1000") !=
          std::string::npos);
    CHECK(text.back() == '\n');
}
