#include "common/pbkdf2.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

std::string hex(std::span<const std::uint8_t> bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

}  // namespace

// Published PBKDF2-HMAC-SHA256 vectors: RFC 6070's inputs with SHA-256, and RFC 7914 section 11.
TEST_CASE("pbkdf2_sha256 matches published vectors") {
    std::array<std::uint8_t, 32> out{};
    const std::string salt = "salt";
    const std::span<const std::uint8_t> salt_bytes(
        reinterpret_cast<const std::uint8_t*>(salt.data()), salt.size());
    castline::pbkdf2_sha256("password", salt_bytes, 1, out);
    CHECK(hex(out) == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
    castline::pbkdf2_sha256("password", salt_bytes, 4096, out);
    CHECK(hex(out) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");

    std::array<std::uint8_t, 64> long_out{};
    const std::string nacl = "NaCl";
    castline::pbkdf2_sha256("Password",
                            std::span<const std::uint8_t>(
                                reinterpret_cast<const std::uint8_t*>(nacl.data()), nacl.size()),
                            80000, long_out);
    CHECK(hex(long_out) ==
          "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
          "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}

TEST_CASE("pbkdf2_sha256 refuses zero iterations") {
    std::array<std::uint8_t, 32> out{};
    CHECK_THROWS_AS(castline::pbkdf2_sha256("x", {}, 0, out), std::runtime_error);
}
