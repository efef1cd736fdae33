#include <doctest/doctest.h>

#include <chrono>

#include "imager/errors.hpp"
#include "imager/imager_cli.hpp"

using namespace castline::imager;

namespace {
CommandLine parse(std::vector<std::string> args) {
    return parse_command_line(args);
}

// A usage error (exit 2) whose message contains `text`.
void bad(const std::vector<std::string>& args, const char* text) {
    CHECK_THROWS_WITH_AS(parse_command_line(args), doctest::Contains(text), ImagerError);
    try {
        parse_command_line(args);
    } catch (const ImagerError& e) {
        CHECK(e.code == ExitCode::bad_usage);
    }
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
    CHECK_FALSE(cl.force);
    CHECK(parse({"capture", "--source", "d", "--output", "a.cimg", "--force"}).force);
    bad({"restore", "--image", "a.cimg", "--target", "t", "--force"}, "unknown option '--force'");
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

TEST_CASE("receive: a plain file from a session") {
    auto cl = parse({"receive", "--session", "castline://198.18.0.1/line", "--target", "out.bin"});
    CHECK(cl.command == CommandLine::Command::receive);
    CHECK(cl.session == "castline://198.18.0.1/line");
    CHECK(cl.target == "out.bin");
    CHECK(cl.sync);
    CHECK_FALSE(cl.timeout);
    CHECK_FALSE(cl.find_timeout);
    CHECK_FALSE(cl.memory_limit);
    CHECK(cl.interface.empty());
    CHECK(cl.client_name.empty());
    cl = parse({"receive", "--session=castline://s/n", "--target", "t", "--password-file", "pw",
                "--interface", "eth0", "--name", "r1", "--timeout", "90", "--find-timeout", "3",
                "--memory", "64", "--no-sync", "--progress", "lines"});
    CHECK(cl.password_file == "pw");
    CHECK(cl.interface == "eth0");
    CHECK(cl.client_name == "r1");
    CHECK(cl.timeout == std::chrono::seconds(90));
    CHECK(cl.find_timeout == std::chrono::seconds(3));
    CHECK(cl.memory_limit == std::size_t{64} << 20);
    CHECK_FALSE(cl.sync);
    CHECK(cl.progress == "lines");
    // 0 means no time limit, as for castline multicast send.
    CHECK(parse({"receive", "--session", "s", "--target", "t", "--timeout", "0"}).timeout ==
          std::chrono::seconds(0));
}

TEST_CASE("the session options also go with restore and validate --session") {
    auto cl = parse({"restore", "--session", "castline://s/n", "--target", "t", "--interface",
                     "eth1", "--memory", "128", "--timeout", "15m", "--name", "pc-1"});
    CHECK(cl.interface == "eth1");
    CHECK(cl.memory_limit == std::size_t{128} << 20);
    CHECK(cl.timeout == std::chrono::minutes(15));
    CHECK(cl.client_name == "pc-1");
    cl = parse({"validate", "--session", "castline://s/n", "--find-timeout", "2m"});
    CHECK(cl.find_timeout == std::chrono::minutes(2));
}

TEST_CASE("receive: usage errors name the option") {
    bad({"receive", "--target", "t"}, "--session is required");
    bad({"receive", "--session", "castline://s/n"}, "--target is required");
    bad({"receive", "--session", "castline://s/n", "--target"}, "--target needs a value");
    const std::vector<std::string> base = {"receive", "--session", "castline://s/n", "--target",
                                           "t"};
    auto with = [&](std::vector<std::string> extra) {
        auto args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    };
    bad(with({"--memory", "lots"}), "--memory: 'lots'");
    bad(with({"--memory", "3"}), "--memory: '3'");
    bad(with({"--memory", "2000000"}), "--memory: '2000000'");
    bad(with({"--memory=64MiB"}), "--memory: '64MiB'");
    bad(with({"--timeout", "soon"}), "--timeout: 'soon'");
    bad(with({"--timeout", "-5"}), "--timeout: '-5'");
    bad(with({"--find-timeout", "0"}), "--find-timeout: '0' is not a positive duration");
    bad(with({"--no-sync=yes"}), "--no-sync takes no value");
    bad(with({"--verify"}), "unknown option '--verify'");
    bad(with({"--session-password-file", "pw"}), "unknown option '--session-password-file'");
    bad(with({"--progress", "fancy"}), "--progress");
    // The session options need a session.
    bad({"restore", "--image", "a.cimg", "--target", "t", "--interface", "eth0"},
        "--interface goes with --session");
    bad({"validate", "--url", "http://s:80/x", "--memory", "64"}, "--memory goes with --session");
    bad({"capture", "--source", "x", "--output", "y", "--timeout", "5"},
        "unknown option '--timeout'");
}
