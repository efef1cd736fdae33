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

TEST_CASE("values from the network are escaped: one value stays one token on one line") {
    using namespace std::string_literals;
    // CR would rewrite the line on a terminal, ESC starts a terminal command.
    CHECK(log::format(log::Level::info, "x", {{"file", "a\rb\x1b[2Jc"}}) ==
          "level=info event=x file=\"a\\rb\\x1b[2Jc\"");
    CHECK(log::format(log::Level::info, "x", {{"v", "a\nlevel=error"}}) ==
          "level=info event=x v=\"a\\nlevel=error\"");
    // Bytes that are not UTF-8 (a lone continuation byte, a sequence cut short) and C1 controls.
    CHECK(log::format(log::Level::info, "x", {{"v", "PXE\x80\xff"}}) ==
          "level=info event=x v=\"PXE\\x80\\xff\"");
    CHECK(log::format(log::Level::info, "x", {{"v", "ab\xc3"}}) ==
          "level=info event=x v=\"ab\\xc3\"");
    CHECK(log::format(log::Level::info, "x", {{"v", "a\xc2\x9b!"}}) ==
          "level=info event=x v=\"a\\xc2\\x9b!\"");
    CHECK(log::format(log::Level::info, "x", {{"v", "a\0b"s}}) ==
          "level=info event=x v=\"a\\x00b\"");
    // Well-formed UTF-8 passes unchanged and unquoted.
    CHECK(log::format(log::Level::info, "x", {{"host", "büro-7"}}) ==
          "level=info event=x host=büro-7");
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
