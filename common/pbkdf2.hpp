#pragma once
// PBKDF2-HMAC-SHA256 (RFC 8018) through OpenSSL's libcrypto, which uses the CPU's SHA
// extensions: about 3x mbedTLS's portable SHA-256, and PBKDF2 at 100k iterations is on the path
// of every image open and every multicast join.
#include <cstdint>
#include <span>
#include <string_view>

namespace castline {

// Fills `out` with the derived bytes. Throws std::runtime_error if libcrypto fails.
void pbkdf2_sha256(std::string_view password, std::span<const std::uint8_t> salt,
                   std::uint32_t iterations, std::span<std::uint8_t> out);

}  // namespace castline
