#pragma once
// What the sender sends: an opaque manifest and numbered chunks. The image format's reader
// implements this for `castline multicast send --image`; FileChunkSource for plain files.
#include <cstdint>
#include <span>
#include <vector>

namespace castline::multicast {

class ChunkSource {
  public:
    virtual ~ChunkSource() = default;
    // Handed to each receiver's ChunkSink before any chunk; opaque to the multicast layer.
    virtual std::span<const std::uint8_t> manifest() const = 0;
    virtual std::uint32_t chunk_count() const = 0;
    // Stored size of chunk `index` in bytes (1 .. 256 MiB).
    virtual std::uint32_t chunk_size(std::uint32_t index) const = 0;
    // The stored bytes of chunk `index`, exactly chunk_size(index) long. Throws on I/O errors.
    virtual std::vector<std::uint8_t> read_chunk(std::uint32_t index) = 0;
};

}  // namespace castline::multicast
