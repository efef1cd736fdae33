#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.hpp"
#include "common/log_style.hpp"

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

TEST_CASE("terminal lines: the event and fields, the level only when it is not info") {
    CHECK(log::format_terminal(log::Level::info, "session_joined", {{"session", "line"}}) ==
          "session_joined session=line");
    CHECK(log::format_terminal(log::Level::warn, "boot_file_missing",
                               {{"file", "vmlinuz"}, {"named_by", "boot.kernel"}}) ==
          "warn: boot_file_missing file=vmlinuz named_by=boot.kernel");
}

TEST_CASE("the terminal style is chosen for a terminal only") {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    CHECK(log::style_for(pipe_fds[1]) == log::Style::logfmt);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    const int terminal = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
    REQUIRE(terminal >= 0);
    CHECK(log::style_for(terminal) == log::Style::terminal);
    ::close(terminal);
    ::close(master);
}
