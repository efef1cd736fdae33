#pragma once
// XXH3-128 (libxxhash): the checksum of chunks, the manifest and the header. Fast enough that
// verifying every chunk costs far less than decompressing it.
#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace castline::imager {

struct Hash128 {
    std::array<std::uint8_t, 16> bytes{};
    bool operator==(const Hash128&) const = default;
    std::string hex() const;
};

Hash128 xxh3_128(std::span<const std::uint8_t> data);

// Incremental XXH3-128 for data that arrives in pieces (verifying a restored chunk on disk).
class Xxh3Stream {
  public:
    Xxh3Stream();
    ~Xxh3Stream();
    Xxh3Stream(const Xxh3Stream&) = delete;
    Xxh3Stream& operator=(const Xxh3Stream&) = delete;
    void update(std::span<const std::uint8_t> data);
    Hash128 digest() const;

  private:
    void* state_;
};

}  // namespace castline::imager
