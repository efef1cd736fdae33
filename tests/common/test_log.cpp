#include <doctest/doctest.h>

#include "common/log.hpp"

namespace log = castline::log;

TEST_CASE("log lines are key=value with quoting where needed") {
    CHECK(log::format(log::Level::info, "transfer_done",
                      {{"file", "undionly.kpxe"}, {"bytes", 70000}}) ==
          "level=info event=transfer_done file=undionly.kpxe bytes=70000");
    CHECK(log::format(log::Level::error, "x", {{"why", "a \"b\" c"}}) ==
          "level=error event=x why=\"a \\\"b\\\" c\"");
    CHECK(log::format(log::Level::warn, "x", {{"empty", ""}}) == "level=warn event=x empty=\"\"");
}

TEST_CASE("levels filter") {
    CHECK(log::parse_level("debug") == log::Level::debug);
    CHECK_FALSE(log::parse_level("verbose"));
    log::set_level(log::Level::warn);
    CHECK(log::enabled(log::Level::error));
    CHECK_FALSE(log::enabled(log::Level::info));
    log::set_level(log::Level::info);
}
