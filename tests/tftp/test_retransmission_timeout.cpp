#include <doctest/doctest.h>

#include "tftp/retransmission_timeout.hpp"

using namespace castline::tftp;
using namespace std::chrono_literals;

TEST_CASE("starts at the ceiling and adapts down to the floor on a fast link") {
    RetransmissionTimeout rto(1s, false);
    CHECK(rto.current() == 1s);
    for (int i = 0; i < 20; ++i) rto.on_rtt_sample(200us);
    CHECK(rto.current() == 50ms);
}

TEST_CASE("follows a slow link, doubles on expiry, backs off to four ceilings at most") {
    RetransmissionTimeout rto(1s, false);
    for (int i = 0; i < 50; ++i) rto.on_rtt_sample(100ms);
    CHECK(rto.current() > 100ms);
    CHECK(rto.current() < 200ms);
    const auto before = rto.current();
    rto.on_expiry();
    CHECK(rto.current() == before * 2);
    for (int i = 0; i < 10; ++i) rto.on_expiry();
    CHECK(rto.current() == 4s);
    // The next round-trip sample brings it back between floor and ceiling.
    rto.on_rtt_sample(100ms);
    CHECK(rto.current() < 1s);
}

TEST_CASE("a negotiated timeout stays fixed") {
    RetransmissionTimeout rto(6s, true);
    rto.on_rtt_sample(1ms);
    rto.on_expiry();
    CHECK(rto.current() == 6s);
}
