#pragma once
// Where a receiver puts what it got: the image format's writer implements this for
// `castline-imager restore --session`; FileChunkSink for plain files (`castline-imager
// receive`). The multicast layer
// only hands over whole, reassembled chunks; the sink verifies them before writing.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace castline::multicast {

struct SinkResult {
    enum class Kind { written, corrupt, error } kind = Kind::written;
    std::string message;  // why, naming the chunk, for corrupt and error
};

class ChunkSink {
  public:
    virtual ~ChunkSink() = default;
    // Called once, first. A non-empty return refuses the session (wrong image, target too
    // small, ...) with that reason.
    virtual std::string open(std::span<const std::uint8_t> manifest,
                             std::span<const std::uint32_t> chunk_sizes) = 0;
    // Verifies chunk `index` and writes it. corrupt: the bytes failed verification, nothing was
    // written, ask for the chunk again. error: the target failed, the receiver gives up.
    virtual SinkResult accept(std::uint32_t index, std::span<const std::uint8_t> bytes) = 0;
    // Chunks not yet written, in ascending order (after open: all, or what a resume lacks).
    virtual std::vector<std::uint32_t> missing() const = 0;
    // Called after the last chunk; flushes. Non-empty: what failed.
    virtual std::string finish() = 0;
};

}  // namespace castline::multicast
