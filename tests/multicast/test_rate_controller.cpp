#include <doctest/doctest.h>

#include "multicast/rate_controller.hpp"

using namespace castline::multicast;

TEST_CASE("a configured cap is kept whatever the reports say") {
    RateController r({.cap_bps = 50e6});
    r.update({{500'000, 100}});
    CHECK(r.rate_bps() == 50e6);
}

TEST_CASE("the rate follows the percentile receiver, not the slowest") {
    RateController r({.initial_bps = 100e6});
    // One of four receivers loses 60 %: the 75th percentile receiver is fine, so speed up.
    r.update({{0, 0}, {1000, 0}, {2000, 0}, {600'000, 0}});
    CHECK(r.rate_bps() > 100e6);
    // Three of four in trouble: back off.
    const double before = r.rate_bps();
    r.update({{0, 0}, {200'000, 0}, {200'000, 0}, {600'000, 0}});
    CHECK(r.rate_bps() < before);
    // Moderate random loss (5 %) is not congestion: hold.
    const double hold = r.rate_bps();
    r.update({{50'000, 0}, {50'000, 0}});
    CHECK(r.rate_bps() == hold);
    // Write backlog also backs off.
    r.update({{0, 100}, {0, 100}});
    CHECK(r.rate_bps() < hold);
}

TEST_CASE("the rate stays within its bounds") {
    RateController r({.initial_bps = 10e6, .min_bps = 5e6, .max_bps = 20e6});
    for (int i = 0; i < 50; ++i) r.update({{900'000, 0}});
    CHECK(r.rate_bps() == 5e6);
    for (int i = 0; i < 50; ++i) r.update({{0, 0}});
    CHECK(r.rate_bps() == 20e6);
}
