#include "multicast/auth.hpp"

#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace castline::multicast {
namespace {

const mbedtls_md_info_t* sha256() {
    return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
}

Digest proof(std::string_view label, const Key& key, const Nonce& first, const Nonce& second,
             std::string_view session_name) {
    std::vector<std::uint8_t> message(label.begin(), label.end());
    message.insert(message.end(), first.begin(), first.end());
    message.insert(message.end(), second.begin(), second.end());
    message.insert(message.end(), session_name.begin(), session_name.end());
    return hmac_sha256(key, message);
}

}  // namespace

Key derive_password_key(std::string_view password, std::span<const std::uint8_t> salt,
                        std::uint32_t iterations) {
    Key key{};
    mbedtls_md_context_t ctx;
    mbedtls_md_init(&ctx);
    int rc = mbedtls_md_setup(&ctx, sha256(), 1);
    if (rc == 0)
        rc =
            mbedtls_pkcs5_pbkdf2_hmac(&ctx, reinterpret_cast<const unsigned char*>(password.data()),
                                      password.size(), salt.data(), salt.size(), iterations,
                                      static_cast<std::uint32_t>(key.size()), key.data());
    mbedtls_md_free(&ctx);
    if (rc != 0)
        throw std::runtime_error("PBKDF2 failed (mbedTLS error " + std::to_string(rc) + ")");
    return key;
}

Digest hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message) {
    Digest out{};
    if (mbedtls_md_hmac(sha256(), key.data(), key.size(), message.data(), message.size(),
                        out.data()) != 0)
        throw std::runtime_error("HMAC-SHA256 failed");
    return out;
}

Digest client_proof(const Key& key, const Nonce& server_nonce, const Nonce& client_nonce,
                    std::string_view session_name) {
    return proof("castline-client", key, server_nonce, client_nonce, session_name);
}

Digest server_proof(const Key& key, const Nonce& server_nonce, const Nonce& client_nonce,
                    std::string_view session_name) {
    return proof("castline-server", key, server_nonce, client_nonce, session_name);
}

Key wrap_data_key(const Key& password_key, const Key& data_key, const Nonce& server_nonce,
                  const Nonce& client_nonce) {
    const Digest pad = proof("castline-wrap", password_key, server_nonce, client_nonce, "");
    Key out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = data_key[i] ^ pad[i];
    return out;
}

bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
    if (a.size() != b.size()) return false;
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<std::uint8_t>(a[i] ^ b[i]);
    return diff == 0;
}

void fill_random(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        const auto n = getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
    }
}

struct DatagramAuthenticator::Context {
    mbedtls_md_context_t md;
};

DatagramAuthenticator::DatagramAuthenticator(const Key& data_key) : context_(new Context) {
    mbedtls_md_init(&context_->md);
    if (mbedtls_md_setup(&context_->md, sha256(), 1) != 0 ||
        mbedtls_md_hmac_starts(&context_->md, data_key.data(), data_key.size()) != 0) {
        mbedtls_md_free(&context_->md);
        delete context_;
        throw std::runtime_error("HMAC-SHA256 setup failed");
    }
}

DatagramAuthenticator::~DatagramAuthenticator() {
    mbedtls_md_free(&context_->md);
    delete context_;
}

std::array<std::uint8_t, DatagramAuthenticator::tag_size> DatagramAuthenticator::tag(
    std::span<const std::uint8_t> message) {
    Digest full{};
    mbedtls_md_hmac_reset(&context_->md);
    mbedtls_md_hmac_update(&context_->md, message.data(), message.size());
    mbedtls_md_hmac_finish(&context_->md, full.data());
    std::array<std::uint8_t, tag_size> out{};
    std::memcpy(out.data(), full.data(), tag_size);
    return out;
}

bool DatagramAuthenticator::verify(std::span<const std::uint8_t> message,
                                   std::span<const std::uint8_t> expected) {
    const auto t = tag(message);
    return equal_constant_time(t, expected);
}

std::string read_password_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read password file " + path);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace castline::multicast
