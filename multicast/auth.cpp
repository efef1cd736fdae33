#include "multicast/auth.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "common/pbkdf2.hpp"

namespace castline::multicast {
namespace {

Digest proof(std::string_view label, const Key& key, const Nonce& first, const Nonce& second,
             std::string_view session_name, std::span<const std::uint8_t> transcript = {}) {
    std::vector<std::uint8_t> message(label.begin(), label.end());
    message.insert(message.end(), first.begin(), first.end());
    message.insert(message.end(), second.begin(), second.end());
    message.insert(message.end(), session_name.begin(), session_name.end());
    message.insert(message.end(), transcript.begin(), transcript.end());
    return hmac_sha256(key, message);
}

}  // namespace

Key derive_password_key(std::string_view password, std::span<const std::uint8_t> salt,
                        std::uint32_t iterations) {
    Key key{};
    pbkdf2_sha256(password, salt, iterations, key);
    return key;
}

Digest hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message) {
    Digest out{};
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), message.data(), message.size(),
             out.data(), &length) == nullptr ||
        length != out.size())
        throw std::runtime_error("HMAC-SHA256 failed");
    return out;
}

Digest hmac_sha256_parts(std::span<const std::uint8_t> key,
                         std::initializer_list<std::span<const std::uint8_t>> parts) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    bool ok = ctx && EVP_MAC_init(ctx, key.data(), key.size(), params) == 1;
    for (const auto& part : parts) ok = ok && EVP_MAC_update(ctx, part.data(), part.size()) == 1;
    Digest out{};
    std::size_t length = 0;
    ok = ok && EVP_MAC_final(ctx, out.data(), &length, out.size()) == 1 && length == out.size();
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    if (!ok) throw std::runtime_error("HMAC-SHA256 failed");
    return out;
}

Digest sha256(std::span<const std::uint8_t> message) {
    Digest out{};
    unsigned int length = 0;
    if (EVP_Digest(message.data(), message.size(), out.data(), &length, EVP_sha256(), nullptr) !=
            1 ||
        length != out.size())
        throw std::runtime_error("SHA-256 failed");
    return out;
}

Digest client_proof(const Key& key, const Nonce& server_nonce, const Nonce& client_nonce,
                    std::string_view session_name, const Digest& transcript) {
    return proof("castline-client", key, server_nonce, client_nonce, session_name, transcript);
}

Digest server_proof(const Key& key, const Nonce& server_nonce, const Nonce& client_nonce,
                    std::string_view session_name, const Digest& transcript) {
    return proof("castline-server", key, server_nonce, client_nonce, session_name, transcript);
}

Key control_key(const Key& password_key, const Nonce& server_nonce, const Nonce& client_nonce) {
    return proof("castline-control", password_key, server_nonce, client_nonce, "");
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

// OpenSSL's HMAC uses the CPU's SHA extensions: a third of mbedTLS's time per datagram, which
// every receiver and the sender pay for every symbol.
struct DatagramAuthenticator::Context {
    EVP_MAC* mac = nullptr;
    EVP_MAC_CTX* ctx = nullptr;
    ~Context() {
        EVP_MAC_CTX_free(ctx);
        EVP_MAC_free(mac);
    }
};

DatagramAuthenticator::DatagramAuthenticator(const Key& data_key) : context_(new Context) {
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    context_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (context_->mac) context_->ctx = EVP_MAC_CTX_new(context_->mac);
    if (!context_->ctx ||
        EVP_MAC_init(context_->ctx, data_key.data(), data_key.size(), params) != 1) {
        delete context_;
        throw std::runtime_error("HMAC-SHA256 setup failed");
    }
}

DatagramAuthenticator::~DatagramAuthenticator() {
    delete context_;
}

std::array<std::uint8_t, DatagramAuthenticator::tag_size> DatagramAuthenticator::tag(
    std::span<const std::uint8_t> message) {
    Digest full{};
    std::size_t length = 0;
    // A null key restarts the MAC with the key given at construction.
    if (EVP_MAC_init(context_->ctx, nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(context_->ctx, message.data(), message.size()) != 1 ||
        EVP_MAC_final(context_->ctx, full.data(), &length, full.size()) != 1)
        throw std::runtime_error("HMAC-SHA256 failed");
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
