#pragma once
// Content-defined chunking (FastCDC-style gear hash with normalized chunking): cut points depend
// on the bytes around them, not on their position, so inserting data early in a disk moves only
// the chunks near the insertion, and two images of similar disks share most chunks.
#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <vector>

#include "imager/disk_layout.hpp"

namespace castline::imager {

struct ChunkerParams {
    std::uint32_t min_size = 512 * 1024;
    std::uint32_t average_size = 2 * 1024 * 1024;  // a power of two
    std::uint32_t max_size = 4 * 1024 * 1024;
};

// What `--chunk-size AVERAGE` means: a quarter of it at least, twice it at most (the defaults
// above are chunker_for_average(2 MiB); docs/adr/0031).
constexpr ChunkerParams chunker_for_average(std::uint32_t average) {
    return {average / 4, average, average * 2};
}

// Length of the first chunk of `data` (1..data.size()). When data is shorter than max_size the
// caller must know it is the end of the stream: the cut is then data.size() if no point is found.
std::size_t find_cut(std::span<const std::uint8_t> data, const ChunkerParams& params);

// A chunk of the used-data stream: its bytes and where each piece of them lies on the disk.
struct PlainChunk {
    std::uint64_t index = 0;
    std::vector<std::uint8_t> data;
    std::vector<Extent> pieces;  // in stream order; lengths sum to data.size()
};

// Cuts a stream fed in pieces (each with its disk offset) into chunks, handing each to `emit`.
class StreamChunker {
  public:
    using Emit = std::function<void(PlainChunk&&)>;
    StreamChunker(ChunkerParams params, Emit emit);
    // Appends `data`, which lies on the disk at `disk_offset`.
    void feed(std::uint64_t disk_offset, std::span<const std::uint8_t> data);
    // Emits what is left.
    void finish();
    std::uint64_t chunks_emitted() const { return next_index_; }

  private:
    void cut(std::size_t length);
    ChunkerParams params_;
    Emit emit_;
    std::vector<std::uint8_t> buffer_;
    std::size_t start_ = 0;              // first unconsumed byte in buffer_
    std::size_t end_ = 0;                // one past the last buffered byte
    std::deque<Extent> pending_pieces_;  // disk ranges of buffer_[start_, end_)
    std::uint64_t next_index_ = 0;
};

}  // namespace castline::imager
