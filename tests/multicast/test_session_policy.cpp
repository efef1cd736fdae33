#include <doctest/doctest.h>

#include <vector>

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

TEST_CASE("a receiver that went away before the start counts for nothing") {
    // Waiting for two: one joined and its connection was lost, then one more joined.
    const std::vector<ClientState> line{departure_state(ClientState::failed, false),
                                        ClientState::joined};
    CHECK(line[0] == ClientState::left);
    CHECK(participants(line) == 1);
    CHECK_FALSE(should_start(StartRule{.clients = 2}, participants(line), 1h, false));
    CHECK_FALSE(
        should_start(StartRule{.min_clients = 2, .max_wait = 30s}, participants(line), 1h, false));
    CHECK(result_joined(line) == 1);
    // Dropped by hand while waiting: also no participant.
    CHECK(departure_state(ClientState::dropped, false) == ClientState::left);
    // After the start a failure is a failure and counts against the result.
    CHECK(departure_state(ClientState::failed, true) == ClientState::failed);
    CHECK(departure_state(ClientState::dropped, true) == ClientState::dropped);
    const std::vector<ClientState> run{ClientState::done, ClientState::failed, ClientState::left,
                                       ClientState::authenticating, ClientState::receiving};
    CHECK(participants(run) == 1);
    CHECK(result_joined(run) == 3);
    CHECK(std::string(state_name(ClientState::left)) == "left");
}

TEST_CASE("a start by hand with nobody joined is refused, not remembered") {
    CHECK(manual_start(false, 0) == ManualStart::nobody_joined);
    CHECK(manual_start(false, 1) == ManualStart::start);
    CHECK(manual_start(true, 3) == ManualStart::not_waiting);
}

TEST_CASE("a waiting receiver is told how far the start rule is") {
    CHECK(start_target(StartRule{.clients = 2}) == 2);
    CHECK(start_target(StartRule{.min_clients = 3, .max_wait = 10s}) == 3);
    CHECK(start_target(StartRule{.clients = 4, .min_clients = 2, .max_wait = 10s}) == 4);
    CHECK(start_target(StartRule{.manual = true}) == 0);
    CHECK(waiting_text(1, 2, false) == "waiting for the session to start: 1 of 2 joined");
    CHECK(waiting_text(0, 0, false) == "waiting for the session to start");
    CHECK(waiting_text(1, 0, true) ==
          "waiting for the session to be started by hand: 1 receiver joined");
    CHECK(waiting_text(2, 0, true) ==
          "waiting for the session to be started by hand: 2 receivers joined");
}
