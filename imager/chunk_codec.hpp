#pragma once
// Turns a chunk's plaintext into its stored bytes (zstd, then AES-256-GCM when the image is
// encrypted) and back, checking both checksums. One ChunkCodec per thread (it owns zstd
// contexts and a GCM context).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "imager/gear_chunker.hpp"
#include "imager/image_key.hpp"
#include "imager/manifest.hpp"

namespace castline::imager {

struct EncodedChunk {
    ChunkEntry entry;                  // everything but entry.offset, which the writer sets
    std::vector<std::uint8_t> stored;  // the stored bytes (without the chunk header)
};

// "chunk 12 (disk offset 1048576)": how errors name a chunk.
std::string describe_chunk(std::uint64_t index, const ChunkEntry& entry);

class ChunkCodec {
  public:
    // key: the image key when encrypted. level: zstd level for encode (unused for decode).
    ChunkCodec(int level, const std::optional<std::array<std::uint8_t, 32>>& key);
    ~ChunkCodec();
    ChunkCodec(const ChunkCodec&) = delete;
    ChunkCodec& operator=(const ChunkCodec&) = delete;

    EncodedChunk encode(const PlainChunk& chunk);

    // Checks the stored checksum, decrypts, decompresses and checks the plaintext checksum.
    // Throws ImagerError(bad_image) naming the chunk and its disk offset on any mismatch.
    std::vector<std::uint8_t> decode(std::uint64_t index, const ChunkEntry& entry,
                                     std::span<const std::uint8_t> stored);

  private:
    struct Contexts;
    int level_;
    std::unique_ptr<ImageCipher> cipher_;
    std::unique_ptr<Contexts> contexts_;
    std::vector<std::uint8_t> scratch_;  // compression output, reused
};

// Only the stored checksum: what validation before restore reads (compressed data only).
bool stored_checksum_matches(const ChunkEntry& entry, std::span<const std::uint8_t> stored);

}  // namespace castline::imager
