#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "bootmedia/error.hpp"
#include "bootmedia/subprocess.hpp"

using namespace castline::bootmedia;

TEST_CASE("output and exit code of a program, in a working directory") {
    const ProcessResult r = run_process({"sh", "-c", "pwd; echo err >&2; exit 3"}, "/", true);
    CHECK(r.exit_code == 3);
    CHECK(r.output == "/\nerr\n");
    CHECK(run_checked({"printf", "a b"}) == "a b");
}

TEST_CASE("stderr stays out of the output unless merged") {
    CHECK(run_process({"sh", "-c", "echo out; echo err >&2"}).output == "out\n");
}

TEST_CASE("failures name the command") {
    CHECK_THROWS_WITH_AS(run_process({"castline-no-such-program"}),
                         "cannot run castline-no-such-program: No such file or directory",
                         BootmediaError);
    CHECK_THROWS_WITH_AS(run_checked({"sh", "-c", "echo why; exit 4"}, {}, true),
                         "'sh -c echo why; exit 4' failed (exit 4):\nwhy\n", BootmediaError);
    CHECK_THROWS_AS(run_process({"true"}, "/no/such/dir"), BootmediaError);
    CHECK(run_process({"sh", "-c", "kill -9 $$"}).exit_code == -1);
}
