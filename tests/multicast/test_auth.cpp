#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "multicast/auth.hpp"

using namespace castline::multicast;

namespace {
std::string hex(std::span<const std::uint8_t> b) {
    std::string s;
    char buf[3];
    for (auto v : b) {
        std::snprintf(buf, sizeof buf, "%02x", v);
        s += buf;
    }
    return s;
}
std::span<const std::uint8_t> bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

TEST_CASE("HMAC-SHA256 and PBKDF2 match the published vectors") {
    // RFC 4231 test case 2
    CHECK(hex(hmac_sha256(bytes("Jefe"), bytes("what do ya want for nothing?"))) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // RFC 7914 section 11, first 32 bytes
    CHECK(hex(derive_password_key("passwd", bytes("salt"), 1)) ==
          "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
}

TEST_CASE("challenge-response proves the password both ways and nothing else") {
    const std::array<std::uint8_t, 4> salt{1, 2, 3, 4};
    const auto right = derive_password_key("right", salt, 1000);
    const auto wrong = derive_password_key("wrong", salt, 1000);
    Nonce server{}, client{};
    server.fill(7);
    client.fill(9);
    Digest t{}, t2{};
    t2[31] = 1;
    CHECK(client_proof(right, server, client, "s", t) ==
          client_proof(right, server, client, "s", t));
    CHECK(client_proof(right, server, client, "s", t) !=
          client_proof(wrong, server, client, "s", t));
    CHECK(client_proof(right, server, client, "s", t) !=
          client_proof(right, server, client, "t", t));
    CHECK(client_proof(right, server, client, "s", t) !=
          server_proof(right, server, client, "s", t));
    // An altered hello or challenge changes the transcript.
    CHECK(client_proof(right, server, client, "s", t) !=
          client_proof(right, server, client, "s", t2));
    Nonce other = client;
    other[0] ^= 1;
    CHECK(client_proof(right, server, client, "s", t) !=
          client_proof(right, server, other, "s", t));
    CHECK(control_key(right, server, client) != control_key(right, server, other));
    CHECK(control_key(right, server, client) != control_key(wrong, server, client));
}

TEST_CASE("HMAC of parts and SHA-256 match their one-piece and published values") {
    CHECK(hmac_sha256_parts(bytes("Jefe"), {bytes("what do ya "), bytes("want for nothing?")}) ==
          hmac_sha256(bytes("Jefe"), bytes("what do ya want for nothing?")));
    // FIPS 180-2, "abc"
    CHECK(hex(sha256(bytes("abc"))) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the data key unwraps only with the password key") {
    const std::array<std::uint8_t, 4> salt{1, 2, 3, 4};
    const auto right = derive_password_key("right", salt, 1000);
    const auto wrong = derive_password_key("wrong", salt, 1000);
    Key data{};
    fill_random(data);
    Nonce server{}, client{};
    fill_random(server);
    fill_random(client);
    const auto wrapped = wrap_data_key(right, data, server, client);
    CHECK(wrapped != data);
    CHECK(wrap_data_key(right, wrapped, server, client) == data);
    CHECK(wrap_data_key(wrong, wrapped, server, client) != data);
}

TEST_CASE("the datagram authenticator verifies its own tags only") {
    Key a{}, b{};
    a.fill(1);
    b.fill(2);
    DatagramAuthenticator auth_a(a), auth_b(b);
    const auto m = bytes("some datagram");
    const auto tag = auth_a.tag(m);
    CHECK(auth_a.verify(m, tag));
    CHECK(auth_a.tag(m) == tag);  // the reused context gives the same answer each time
    CHECK_FALSE(auth_b.verify(m, tag));
    CHECK_FALSE(auth_a.verify(bytes("some datagraM"), tag));
    CHECK(equal_constant_time(bytes("abc"), bytes("abc")));
    CHECK_FALSE(equal_constant_time(bytes("abc"), bytes("abd")));
    CHECK_FALSE(equal_constant_time(bytes("abc"), bytes("ab")));
}
