#pragma once
// Erasure coding of chunk blocks over GF(2^8) with ISA-L. A chunk is cut into symbols of the
// session's symbol size and the symbols into balanced blocks of at most max_block_symbols (k).
// Symbol indices 0..k-1 of a block are its source symbols; every index from k up to 65535 is a
// parity symbol, a linear combination of the k sources (parity_coefficient). Parity never runs
// out, so a lossy receiver always gets symbols new to it (docs/adr/0054).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace castline::multicast {

// Blocks as large as a 1 MiB chunk of 1440-byte symbols (729): what is repaired per block is the
// largest need among the receivers, and the larger the block the closer that is to the mean.
constexpr unsigned max_block_symbols = 1024;
constexpr unsigned symbol_index_limit = 65536;  // a u16 on the wire

struct BlockSpan {
    std::uint32_t first_symbol = 0;  // index of the block's first source symbol in the chunk
    std::uint16_t k = 0;             // source symbols in the block
};

// How one chunk of `chunk_size` bytes maps onto symbols and blocks.
class BlockLayout {
  public:
    BlockLayout(std::uint32_t chunk_size, std::uint32_t symbol_size);
    std::uint32_t chunk_size() const { return chunk_size_; }
    std::uint32_t symbol_size() const { return symbol_size_; }
    std::uint32_t symbol_count() const { return symbols_; }
    std::uint16_t block_count() const { return static_cast<std::uint16_t>(blocks_.size()); }
    const BlockSpan& block(std::uint16_t b) const { return blocks_[b]; }
    // Bytes of source symbol `symbol` (chunk-wide index) that are real data; the rest is padding.
    std::uint32_t source_bytes(std::uint32_t symbol) const;

  private:
    std::uint32_t chunk_size_;
    std::uint32_t symbol_size_;
    std::uint32_t symbols_;
    std::vector<BlockSpan> blocks_;
};

// The weight of source symbol `column` in parity symbol `symbol` (column < k <= symbol). Below
// 255 it is the Cauchy entry 1 / (symbol ^ column), so a block of k <= 128 is rebuilt by any k
// of its first 255 symbols; from 255 on, a hash of both indices in 1..255 (docs/multicast.md).
std::uint8_t parity_coefficient(unsigned symbol, unsigned column);

// Fills `parity` (count buffers of symbol_size bytes) with parity symbols k + first_row ..
// k + first_row + count - 1 of the block whose k source symbols (padded to symbol_size) are
// given. k + first_row + count <= 65536.
void encode_parity(std::span<const std::uint8_t* const> source, std::uint32_t symbol_size,
                   unsigned first_row, std::span<std::uint8_t* const> parity);

enum class DecodeStatus {
    decoded,
    // The parity symbols received do not determine the lost sources (their combinations are
    // dependent, a chance of about 1 in 255 beyond the Cauchy rows): one more symbol is needed.
    need_more,
    invalid,
};
struct DecodeResult {
    DecodeStatus status = DecodeStatus::decoded;
    std::string reason;  // for invalid
};

// Rebuilds the block's k source symbols (into `source`, k buffers of symbol_size) from at least
// k distinct received symbols (`indices`, data in `received`). A received source symbol may
// already be in its place (received[i] == source[indices[i]]).
DecodeResult decode_block(std::span<const std::uint16_t> indices,
                          std::span<const std::uint8_t* const> received, std::uint32_t symbol_size,
                          std::span<std::uint8_t* const> source);

}  // namespace castline::multicast
