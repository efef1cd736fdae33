#include <doctest/doctest.h>

#include "multicast/session_policy.hpp"

using namespace castline::multicast;
using namespace std::chrono_literals;

TEST_CASE("start rules") {
    StartRule by_count{.clients = 4};
    CHECK_FALSE(should_start(by_count, 3, 1h, false));
    CHECK(should_start(by_count, 4, 0s, false));
    StartRule by_wait{.min_clients = 2, .max_wait = 30s};
    CHECK_FALSE(should_start(by_wait, 2, 29s, false));
    CHECK_FALSE(should_start(by_wait, 1, 31s, false));
    CHECK(should_start(by_wait, 2, 30s, false));
    StartRule both{.clients = 4, .min_clients = 2, .max_wait = 30s};
    CHECK(should_start(both, 4, 1s, false));
    CHECK(should_start(both, 2, 40s, false));
    StartRule manual{.manual = true};
    CHECK_FALSE(should_start(manual, 10, 1h, false));
    CHECK(should_start(manual, 1, 0s, true));
    CHECK_FALSE(should_start(manual, 0, 0s, true));  // nobody to send to
    CHECK(should_start(StartRule{}, 1, 0s, false));
    CHECK_FALSE(should_start(StartRule{}, 0, 1h, false));
}

TEST_CASE("success thresholds") {
    CHECK(SuccessThreshold::parse("3")->count == 3);
    CHECK(SuccessThreshold::parse("75%")->percent == 75);
    for (const char* bad : {"", "%", "0", "-1", "1.5", "101%", "x", "3 "})
        CHECK_MESSAGE(!SuccessThreshold::parse(bad), bad);
    CHECK(session_succeeded(SuccessThreshold{}, 4, 4));
    CHECK_FALSE(session_succeeded(SuccessThreshold{}, 4, 3));
    CHECK(session_succeeded(*SuccessThreshold::parse("75%"), 4, 3));
    CHECK(session_succeeded(*SuccessThreshold::parse("3"), 5, 3));
    CHECK_FALSE(session_succeeded(*SuccessThreshold::parse("3"), 5, 2));
    CHECK_FALSE(session_succeeded(SuccessThreshold{}, 0, 0));
}
