#include "common/pbkdf2.hpp"

#include <openssl/evp.h>

#include <climits>
#include <stdexcept>

namespace castline {

void pbkdf2_sha256(std::string_view password, std::span<const std::uint8_t> salt,
                   std::uint32_t iterations, std::span<std::uint8_t> out) {
    if (iterations == 0 || iterations > INT_MAX || password.size() > INT_MAX ||
        salt.size() > INT_MAX || out.size() > INT_MAX)
        throw std::runtime_error("PBKDF2: parameter out of range");
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1)
        throw std::runtime_error("PBKDF2-HMAC-SHA256 failed in libcrypto");
}

}  // namespace castline
