#pragma once
// Session authentication: a key derived from the password (PBKDF2-HMAC-SHA256), a
// challenge-response on join that proves both sides know it without sending it, and the
// per-session data key that authenticates every multicast datagram. See docs/multicast.md.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace castline::multicast {

using Key = std::array<std::uint8_t, 32>;
using Nonce = std::array<std::uint8_t, 16>;
using Digest = std::array<std::uint8_t, 32>;

// The fewest PBKDF2 iterations a receiver with a password accepts, and a sender with one uses:
// a proof computed with fewer lets whoever asked for it test password guesses offline cheaply.
// An open session (no password) has no secret and uses 1.
constexpr std::uint32_t min_pbkdf2_iterations = 10'000;

// PBKDF2-HMAC-SHA256(password, salt, iterations) -> 32 bytes. An empty password is allowed
// (open session): the exchange then still runs, it just proves nothing.
Key derive_password_key(std::string_view password, std::span<const std::uint8_t> salt,
                        std::uint32_t iterations);

Digest hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message);
// HMAC-SHA256 of the parts one after another, without copying them together.
Digest hmac_sha256_parts(std::span<const std::uint8_t> key,
                         std::initializer_list<std::span<const std::uint8_t>> parts);
Digest sha256(std::span<const std::uint8_t> message);

// The receiver's answer to the sender's challenge, and the sender's answer back. `transcript`
// is SHA-256 of the hello and challenge frames, so neither can be altered on the way.
Digest client_proof(const Key& key, const Nonce& server_nonce, const Nonce& client_nonce,
                    std::string_view session_name, const Digest& transcript);
Digest server_proof(const Key& key, const Nonce& server_nonce, const Nonce& client_nonce,
                    std::string_view session_name, const Digest& transcript);

// The key that tags every control frame from the welcome on (docs/adr/0055).
Key control_key(const Key& password_key, const Nonce& server_nonce, const Nonce& client_nonce);

// The data key travels to each receiver masked with a pad only the two ends can compute;
// wrapping twice unwraps.
Key wrap_data_key(const Key& password_key, const Key& data_key, const Nonce& server_nonce,
                  const Nonce& client_nonce);

// Compares without an early exit so the time taken does not reveal the matching prefix.
bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// Random bytes from the system (getrandom); throws std::runtime_error if it is unavailable.
void fill_random(std::span<std::uint8_t> out);

// Computes the truncated HMAC-SHA256 tag of datagrams with one keyed context reused for every
// datagram, so the key schedule is paid once per session, not once per packet.
class DatagramAuthenticator {
  public:
    // 64 bits: a forger on the link gets one guess per datagram (docs/adr/0053).
    static constexpr std::size_t tag_size = 8;
    explicit DatagramAuthenticator(const Key& data_key);
    ~DatagramAuthenticator();
    DatagramAuthenticator(const DatagramAuthenticator&) = delete;
    DatagramAuthenticator& operator=(const DatagramAuthenticator&) = delete;

    std::array<std::uint8_t, tag_size> tag(std::span<const std::uint8_t> message);
    bool verify(std::span<const std::uint8_t> message, std::span<const std::uint8_t> tag);

  private:
    struct Context;
    Context* context_;
};

// Reads a password file: the first line, without its line ending. Throws std::runtime_error
// naming the file if it cannot be read.
std::string read_password_file(const std::string& path);

}  // namespace castline::multicast
