#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "multicast/datagram.hpp"

using namespace castline::multicast;

namespace {
Key key_of(std::uint8_t v) {
    Key k{};
    k.fill(v);
    return k;
}
std::vector<std::uint8_t> sample(DatagramAuthenticator& auth, std::vector<std::uint8_t>& payload) {
    SymbolDatagram d;
    d.session_id = 0x11223344;
    d.sequence = 7;
    d.pass = 3;
    d.chunk = 42;
    d.block = 5;
    d.symbol = 0x0102;  // above 255: version 3's 16-bit index
    d.payload = payload;
    std::vector<std::uint8_t> out;
    encode_datagram(d, auth, out);
    return out;
}
std::string error_of(const std::variant<SymbolDatagram, DatagramError>& r) {
    const auto* e = std::get_if<DatagramError>(&r);
    return e ? e->reason : std::string();
}
}  // namespace

TEST_CASE("a datagram round-trips and is authentic") {
    DatagramAuthenticator auth(key_of(1));
    std::vector<std::uint8_t> payload(1000, 0xAB);
    const auto bytes = sample(auth, payload);
    CHECK(bytes.size() == datagram_overhead + payload.size());
    const auto r = decode_datagram(bytes, 0x11223344, auth);
    REQUIRE(std::holds_alternative<SymbolDatagram>(r));
    const auto& d = std::get<SymbolDatagram>(r);
    CHECK(d.sequence == 7);
    CHECK(d.pass == 3);
    CHECK(d.chunk == 42);
    CHECK(d.block == 5);
    CHECK(d.symbol == 0x0102);
    CHECK(std::vector<std::uint8_t>(d.payload.begin(), d.payload.end()) == payload);
}

TEST_CASE("the datagram is laid out as docs/multicast.md says") {
    DatagramAuthenticator auth(key_of(1));
    std::vector<std::uint8_t> payload(1440, 0xAB);
    const auto bytes = sample(auth, payload);
    CHECK(bytes.size() == 1472);  // a full symbol fills a 1500-byte MTU's UDP payload
    const std::vector<std::uint8_t> header(bytes.begin(), bytes.begin() + 24);
    // clang-format off
    CHECK(header == std::vector<std::uint8_t>{'C', 'L', 3, 1,  0x11, 0x22, 0x33, 0x44,
                                              0,   0,   0, 7,  0,    0,    0,    3,
                                              0,   0,   0, 42, 0,    5,    1,    2});
    // clang-format on
    const auto tag = auth.tag(std::span(bytes).first(24 + payload.size()));
    CHECK(std::vector<std::uint8_t>(bytes.end() - 8, bytes.end()) ==
          std::vector<std::uint8_t>(tag.begin(), tag.end()));
}

TEST_CASE("forged, foreign and altered datagrams are rejected with the reason") {
    DatagramAuthenticator auth(key_of(1));
    DatagramAuthenticator other(key_of(2));
    std::vector<std::uint8_t> payload(64, 1);
    auto bytes = sample(auth, payload);
    CHECK(error_of(decode_datagram(bytes, 0x11223345, auth)).starts_with("session_id:"));
    CHECK(error_of(decode_datagram(bytes, 0x11223344, other)).starts_with("tag:"));
    for (std::size_t at : {std::size_t{9}, std::size_t{20}, std::size_t{40}, bytes.size() - 1}) {
        auto altered = bytes;
        altered[at] ^= 0x01;
        CHECK_MESSAGE(!error_of(decode_datagram(altered, 0x11223344, auth)).empty(), at);
    }
}

TEST_CASE("malformed datagrams name the field") {
    DatagramAuthenticator auth(key_of(1));
    std::vector<std::uint8_t> payload(64, 1);
    const auto good = sample(auth, payload);
    CHECK(error_of(parse_datagram(std::span(good).first(10))).starts_with("length:"));
    auto bad = good;
    bad[0] = 'X';
    CHECK(error_of(parse_datagram(bad)).starts_with("magic:"));
    bad = good;
    bad[2] = 2;  // version 2: the same layout with an 8-bit symbol index
    CHECK(error_of(parse_datagram(bad)) == "version: 2 is not supported, this receiver speaks 3");
    bad = good;
    bad[2] = 'm';  // a version-1 sender: "CLmc", 28-byte header, 16-byte tag
    bad[3] = 'c';
    CHECK(error_of(parse_datagram(bad)) ==
          "version: 1 (CLmc) is not supported, this receiver speaks 3");
    bad = good;
    bad[3] = 7;
    CHECK(error_of(parse_datagram(bad)).starts_with("type:"));
    const auto empty = std::vector<std::uint8_t>(good.begin(), good.begin() + datagram_header_size);
    std::vector<std::uint8_t> no_payload = empty;
    no_payload.resize(datagram_overhead, 0);
    CHECK(error_of(parse_datagram(no_payload)).starts_with("payload:"));
}
