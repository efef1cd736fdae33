#pragma once
// Encryption of an image: a key from the password by PBKDF2-HMAC-SHA256 (mbedTLS), a key check
// value that tells a wrong password from a damaged image before anything is read or written,
// and AES-256-GCM for chunks and the manifest.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace castline::imager {

constexpr std::size_t kSaltSize = 32;
constexpr std::size_t kKeyCheckSize = 16;
constexpr std::size_t kTagSize = 16;
constexpr std::uint32_t kDefaultKdfIterations = 600000;
constexpr std::uint32_t kMaxKdfIterations = 50'000'000;  // refuse images that would hang us
constexpr std::size_t kMaxPasswordCharacters = 128;

// Reads a password file: all its bytes, with one trailing "\n" (or "\r\n") removed. Throws
// ImagerError(bad_usage) when it is empty or longer than 128 characters (UTF-8 code points).
std::string read_password_file(const std::filesystem::path& path);
void check_password(const std::string& password);

struct DerivedKey {
    std::array<std::uint8_t, 32> key{};
    std::array<std::uint8_t, kKeyCheckSize> check{};
};

// PBKDF2-HMAC-SHA256 to 48 bytes: the AES key, then the key check value stored in the header.
DerivedKey derive_key(const std::string& password, std::span<const std::uint8_t> salt,
                      std::uint32_t iterations);

std::array<std::uint8_t, kSaltSize> random_salt();

// AES-256-GCM with a 96-bit nonce made of a domain (0 chunk, 1 manifest) and a 64-bit index.
// The key is unique per image (random salt), so (domain, index) never repeats under one key.
// Not thread-safe: one per thread.
class ImageCipher {
  public:
    enum class Domain : std::uint32_t { chunk = 0, manifest = 1 };
    explicit ImageCipher(const std::array<std::uint8_t, 32>& key);
    ~ImageCipher();
    ImageCipher(const ImageCipher&) = delete;
    ImageCipher& operator=(const ImageCipher&) = delete;

    // Returns ciphertext followed by the 16-byte tag.
    std::vector<std::uint8_t> seal(Domain domain, std::uint64_t index,
                                   std::span<const std::uint8_t> aad,
                                   std::span<const std::uint8_t> plain);
    // Returns false when the tag does not match (wrong key or damaged bytes).
    bool open(Domain domain, std::uint64_t index, std::span<const std::uint8_t> aad,
              std::span<const std::uint8_t> sealed, std::vector<std::uint8_t>& plain);

    const std::array<std::uint8_t, 32>& key() const { return key_; }

  private:
    struct Context;
    std::array<std::uint8_t, 32> key_;
    std::unique_ptr<Context> context_;
};

}  // namespace castline::imager
