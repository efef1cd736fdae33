#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/imager_cli.hpp"

using namespace castline::imager;

namespace {
CommandLine parse(std::vector<std::string> args) {
    return parse_command_line(args);
}
}  // namespace

TEST_CASE("capture with every option") {
    const auto cl =
        parse({"capture", "--source", "/dev/sdz", "--output=a.cimg", "--level", "9",
               "--password-file", "pw", "--raw", "--split", "4GiB", "--description", "my disk"});
    CHECK(cl.command == CommandLine::Command::capture);
    CHECK(cl.source == "/dev/sdz");
    CHECK(cl.output == "a.cimg");
    CHECK(cl.level == 9);
    CHECK(cl.password_file == "pw");
    CHECK(cl.raw);
    CHECK(cl.split_size == 4ULL << 30);
    CHECK(cl.description == "my disk");
}

TEST_CASE("restore, validate and info") {
    auto cl =
        parse({"restore", "--image", "a.cimg", "--target", "t", "--verify", "--no-prevalidate"});
    CHECK(cl.command == CommandLine::Command::restore);
    CHECK(cl.verify);
    CHECK_FALSE(cl.prevalidate);
    cl = parse({"restore", "--image", "a.cimg", "--target", "t"});
    CHECK(cl.prevalidate);
    CHECK_FALSE(cl.verify);
    cl = parse({"validate", "--image", "a.cimg", "--password-file", "p"});
    CHECK(cl.command == CommandLine::Command::validate);
    cl = parse({"info", "--image", "a.cimg", "--json"});
    CHECK(cl.json);
}

TEST_CASE("usage errors name the problem") {
    auto bad = [](std::vector<std::string> args, const char* text) {
        CHECK_THROWS_WITH_AS(parse_command_line(args), doctest::Contains(text), ImagerError);
        try {
            parse_command_line(args);
        } catch (const ImagerError& e) {
            CHECK(e.code == ExitCode::bad_usage);
        }
    };
    bad({}, "no command");
    bad({"clone"}, "unknown command 'clone'");
    bad({"capture", "--source", "x"}, "--output is required");
    bad({"capture", "--source", "x", "--output", "y", "--level", "0"}, "--level");
    bad({"capture", "--source", "x", "--output", "y", "--level", "3x"}, "--level");
    bad({"capture", "--source", "x", "--output", "y", "--split", "10"}, "--split");
    bad({"capture", "--source", "x", "--output", "y", "--verify"}, "unknown option '--verify'");
    bad({"restore", "--image", "x", "--target"}, "--target needs a value");
    bad({"info", "--image", "x", "--image", "y"}, "given twice");
    bad({"info", "--image", "x", "--json=yes"}, "takes no value");
    bad({"validate", "--image", "x", "--progress", "fancy"}, "--progress");
    bad({"capture", "--source", "x", "--output", "y", "--chunk-size", "3MiB"}, "--chunk-size");
    CHECK(parse({"capture", "--source", "x", "--output", "y", "--chunk-size", "2MiB"})
              .chunk_average == 2 * 1024 * 1024);
}
