#pragma once
// Reed-Solomon erasure coding of chunk blocks with ISA-L (GF(2^8), Cauchy matrix, so any k of a
// block's 255 symbols rebuild its k source symbols). A chunk is cut into symbols of the
// session's symbol size and the symbols into balanced blocks of at most max_block_symbols.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace castline::multicast {

constexpr unsigned max_block_symbols = 128;        // k; leaves 127 parity rows per block
constexpr unsigned symbols_per_block_limit = 255;  // k + parity rows, GF(2^8)

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

// Fills `parity` (count buffers of symbol_size bytes) with parity rows first_row..first_row+count-1
// (row r is symbol index k + r) of the block whose k source symbols (padded to symbol_size) are
// given. count + first_row <= 255 - k.
void encode_parity(std::span<const std::uint8_t* const> source, std::uint32_t symbol_size,
                   unsigned first_row, std::span<std::uint8_t* const> parity);

// Rebuilds the block's k source symbols (into `source`, k buffers of symbol_size) from exactly k
// distinct received symbols (`indices` in 0..254, data in `received`). Returns an empty string,
// or why it could not (duplicate or out-of-range index, singular matrix).
std::string decode_block(std::span<const std::uint8_t> indices,
                         std::span<const std::uint8_t* const> received, std::uint32_t symbol_size,
                         std::span<std::uint8_t* const> source);

}  // namespace castline::multicast
