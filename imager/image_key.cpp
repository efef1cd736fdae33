#include "imager/image_key.hpp"

#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "common/pbkdf2.hpp"
#include "imager/byte_io.hpp"
#include "imager/errors.hpp"

namespace castline::imager {

void check_password(const std::string& password) {
    std::size_t characters = 0;
    for (unsigned char c : password)
        if ((c & 0xC0) != 0x80) ++characters;  // count UTF-8 code points, not bytes
    if (characters == 0) throw ImagerError(ExitCode::bad_usage, "the password is empty");
    if (characters > kMaxPasswordCharacters)
        throw ImagerError(ExitCode::bad_usage, "the password has " + std::to_string(characters) +
                                                   " characters; at most 128 are allowed");
}

std::string read_password_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ImagerError(ExitCode::bad_usage, "cannot read password file " + path.string() + ": " +
                                                   std::strerror(errno));
    std::string password{std::istreambuf_iterator<char>(in), {}};
    if (!password.empty() && password.back() == '\n') {
        password.pop_back();
        if (!password.empty() && password.back() == '\r') password.pop_back();
    }
    check_password(password);
    return password;
}

DerivedKey derive_key(const std::string& password, std::span<const std::uint8_t> salt,
                      std::uint32_t iterations) {
    std::array<std::uint8_t, 48> out{};
    pbkdf2_sha256(password, salt, iterations, out);
    DerivedKey key;
    std::memcpy(key.key.data(), out.data(), 32);
    std::memcpy(key.check.data(), out.data() + 32, kKeyCheckSize);
    mbedtls_platform_zeroize(out.data(), out.size());
    return key;
}

std::array<std::uint8_t, kSaltSize> random_salt() {
    std::array<std::uint8_t, kSaltSize> salt{};
    std::size_t got = 0;
    while (got < salt.size()) {
        const auto n = getrandom(salt.data() + got, salt.size() - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
        }
        got += static_cast<std::size_t>(n);
    }
    return salt;
}

struct ImageCipher::Context {
    mbedtls_gcm_context gcm;
};

ImageCipher::ImageCipher(const std::array<std::uint8_t, 32>& key)
    : key_(key), context_(std::make_unique<Context>()) {
    mbedtls_gcm_init(&context_->gcm);
    if (mbedtls_gcm_setkey(&context_->gcm, MBEDTLS_CIPHER_ID_AES, key_.data(), 256) != 0)
        throw std::runtime_error("AES-256-GCM key setup failed");
}

ImageCipher::~ImageCipher() {
    mbedtls_gcm_free(&context_->gcm);
    mbedtls_platform_zeroize(key_.data(), key_.size());
}

namespace {
std::array<std::uint8_t, 12> make_nonce(ImageCipher::Domain domain, std::uint64_t index) {
    std::array<std::uint8_t, 12> nonce{};
    const auto d = static_cast<std::uint32_t>(domain);
    for (int i = 0; i < 4; ++i) nonce[i] = static_cast<std::uint8_t>(d >> (8 * i));
    store_u64(nonce.data() + 4, index);
    return nonce;
}
}  // namespace

std::vector<std::uint8_t> ImageCipher::seal(Domain domain, std::uint64_t index,
                                            std::span<const std::uint8_t> aad,
                                            std::span<const std::uint8_t> plain) {
    const auto nonce = make_nonce(domain, index);
    std::vector<std::uint8_t> out(plain.size() + kTagSize);
    const int rc = mbedtls_gcm_crypt_and_tag(
        &context_->gcm, MBEDTLS_GCM_ENCRYPT, plain.size(), nonce.data(), nonce.size(), aad.data(),
        aad.size(), plain.data(), out.data(), kTagSize, out.data() + plain.size());
    if (rc != 0) throw std::runtime_error("AES-256-GCM encryption failed");
    return out;
}

bool ImageCipher::open(Domain domain, std::uint64_t index, std::span<const std::uint8_t> aad,
                       std::span<const std::uint8_t> sealed, std::vector<std::uint8_t>& plain) {
    if (sealed.size() < kTagSize) return false;
    const auto nonce = make_nonce(domain, index);
    const std::size_t n = sealed.size() - kTagSize;
    plain.resize(n);
    const int rc = mbedtls_gcm_auth_decrypt(&context_->gcm, n, nonce.data(), nonce.size(),
                                            aad.data(), aad.size(), sealed.data() + n, kTagSize,
                                            sealed.data(), plain.data());
    if (rc != 0) {
        plain.clear();
        return false;
    }
    return true;
}

}  // namespace castline::imager
