#include <doctest/doctest.h>

#include <string>

#include "byte_literals.hpp"
#include "tftp/packet.hpp"

using namespace castline::tftp;
using namespace castline::tftp::testing;

TEST_CASE("RRQ with options decodes, lower-casing mode and option names") {
    const auto raw =
        lit("\0\1boot\\x64\\File.efi\0OcTeT\0TSIZE\0"
            "0\0blksize\0"
            "1468\0");
    const auto r = decode(raw);
    REQUIRE(r.ok());
    const auto& req = std::get<Request>(r.packet());
    CHECK(req.opcode == Opcode::rrq);
    CHECK(req.filename == "boot\\x64\\File.efi");
    CHECK(req.mode == "octet");
    REQUIRE(req.options.size() == 2);
    CHECK(req.options[0] == Option{"tsize", "0"});
    CHECK(req.options[1] == Option{"blksize", "1468"});
}

TEST_CASE("every packet type round-trips through encode and decode") {
    const std::vector<Packet> packets{
        Request{Opcode::rrq, "pxelinux.0", "octet", {{"windowsize", "4"}}},
        Request{Opcode::wrq, "x", "netascii", {}},
        Data{65535, {1, 2, 3}},
        Data{0, {}},
        Ack{42},
        Error{ErrorCode::option_refused, "no"},
        OptionAck{{{"blksize", "1432"}, {"tsize", "123"}}},
    };
    for (const auto& p : packets) {
        const auto r = decode(encode(p));
        REQUIRE(r.ok());
        CHECK(r.packet() == p);
    }
}

TEST_CASE("DATA header helper matches the encoder") {
    const auto encoded = encode(Packet{Data{0x1234, {}}});
    const auto header = data_header(0x1234);
    CHECK(std::vector<std::uint8_t>(header.begin(), header.end()) == encoded);
}

TEST_CASE("malformed datagrams are refused with the field and offset") {
    SUBCASE("empty and one byte") {
        CHECK_FALSE(decode({}).ok());
        const auto one = lit("\0");
        const auto r = decode(one);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().field == "opcode");
    }
    SUBCASE("unknown opcode") {
        const auto r = decode(lit("\0\x09xx"));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().to_string() == "opcode at byte 0: unknown opcode 9");
    }
    SUBCASE("unterminated filename") {
        const auto r = decode(lit("\0\1abc"));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().field == "filename");
        CHECK(r.error().offset == 2);
    }
    SUBCASE("missing mode") {
        const auto r = decode(lit("\0\1abc\0"));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().field == "mode");
        CHECK(r.error().offset == 6);
    }
    SUBCASE("option without value") {
        const auto r = decode(lit("\0\1a\0octet\0blksize\0"));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().field == "option[0].value");
    }
    SUBCASE("empty option name") {
        const auto r = decode(lit("\0\1a\0octet\0\0x\0"));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().field == "option[0].name");
    }
    SUBCASE("short ACK and DATA") {
        CHECK(decode(lit("\0\4\1")).error().field == "block");
        CHECK(decode(lit("\0\3")).error().field == "block");
    }
    SUBCASE("overlong filename") {
        std::string raw("\0\1", 2);
        raw += std::string(max_string_length + 1, 'a');
        raw += std::string(lits("\0octet\0"));
        const auto r = decode(bytes(raw));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().problem.find("longer than") != std::string::npos);
    }
    SUBCASE("too many options") {
        std::string raw("\0\1f\0octet\0", 10);
        for (std::size_t i = 0; i <= max_options; ++i) raw += std::string(lits("o\0v\0"));
        const auto r = decode(bytes(raw));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().field == "options");
    }
}

TEST_CASE("ERROR without a terminating NUL keeps its message; padded ACK is accepted") {
    const auto r =
        decode(lit("\0\5\0\x08"
                   "abort"));
    REQUIRE(r.ok());
    CHECK(std::get<Error>(r.packet()) == Error{ErrorCode::option_refused, "abort"});
    const auto bare = decode(lit("\0\5\0\x08"));
    REQUIRE(bare.ok());
    CHECK(std::get<Error>(bare.packet()).message.empty());
    const auto padded = decode(lit("\0\4\0\7\0\0"));
    REQUIRE(padded.ok());
    CHECK(std::get<Ack>(padded.packet()).block == 7);
}
