#pragma once
// Walks a pass plan and yields the symbols to send, one at a time: source symbols straight from
// the chunk, parity rows encoded once per block visit. Holds one chunk in memory.
#include <cstdint>
#include <optional>
#include <vector>

#include "multicast/chunk_source.hpp"
#include "multicast/datagram.hpp"
#include "multicast/fec.hpp"
#include "multicast/repair_planner.hpp"

namespace castline::multicast {

class SymbolFeeder {
  public:
    SymbolFeeder(ChunkSource& source, std::uint32_t symbol_size);
    void load(std::vector<SendItem> plan);
    bool done() const { return item_ >= plan_.size(); }
    // Fills chunk, block, symbol and payload (valid until the next call); false when done.
    bool next(SymbolDatagram& out);
    std::uint64_t symbols_planned() const { return planned_; }

  private:
    void enter_item();
    ChunkSource& source_;
    std::uint32_t symbol_size_;
    std::vector<SendItem> plan_;
    std::size_t item_ = 0;
    std::uint16_t offset_ = 0;  // symbols already yielded of the current item
    std::uint64_t planned_ = 0;
    std::uint32_t chunk_index_ = UINT32_MAX;
    std::vector<std::uint8_t> chunk_;
    std::optional<BlockLayout> layout_;
    std::vector<std::uint8_t> padded_;  // the block's k source symbols, zero-padded
    std::vector<std::uint8_t> parity_;  // parity rows parity_first_.. of the current block
    unsigned parity_first_ = 0;
    unsigned parity_rows_ = 0;
};

}  // namespace castline::multicast
