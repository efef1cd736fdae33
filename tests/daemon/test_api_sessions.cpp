// The sessions list of the operator API: every session with its state and clients, progress,
// rate and loss rounded for people to read.
#include <doctest/doctest.h>

#include "daemon/api_sessions.hpp"

using namespace castline;

TEST_CASE("sessions and their clients as JSON") {
    daemon::SessionSnapshot line{.name = "line",
                                 .image = "base",
                                 .state = "running",
                                 .address = "239.198.10.10",
                                 .control_port = 40001,
                                 .data_port = 9000};
    line.clients.push_back({.id = 3,
                            .name = "ws01",
                            .peer = "198.18.0.101:51000",
                            .state = "receiving",
                            .progress = 0.42371,
                            .rate_mbit = 312.456,
                            .loss = 0.012345});
    line.clients.push_back(
        {.id = 4, .name = "ws02", .state = "dropped", .reason = "dropped by hand"});
    const daemon::SessionSnapshot idle{.name = "night", .image = "base", .state = "waiting"};
    const auto json = daemon::sessions_json({line, idle});
    REQUIRE(json.size() == 2);
    CHECK(json[0]["name"] == "line");
    CHECK(json[0]["state"] == "running");
    CHECK(json[0]["address"] == "239.198.10.10");
    CHECK(json[0]["data_port"] == 9000);
    REQUIRE(json[0]["clients"].size() == 2);
    const auto& c = json[0]["clients"][0];
    CHECK(c["id"] == 3);
    CHECK(c["peer"] == "198.18.0.101:51000");
    CHECK(c["percent"].get<double>() == doctest::Approx(42.4));
    CHECK(c["rate_mbit"].get<double>() == doctest::Approx(312.5));
    CHECK(c["loss_percent"].get<double>() == doctest::Approx(1.23));
    CHECK(json[0]["clients"][1]["reason"] == "dropped by hand");
    CHECK(json[1]["state"] == "waiting");
    CHECK(json[1]["clients"].empty());
}
