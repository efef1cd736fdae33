#pragma once
// The receiver's reassembly of chunks from symbols, and the needs it reports. Pure: fed
// decoded datagrams, it answers what happened to each and hands out complete chunks. Memory is
// bounded: beyond the limit, symbols of chunks not yet started are dropped and asked for again
// in a later pass (a slow or memory-poor receiver simply takes more passes).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "multicast/control.hpp"
#include "multicast/datagram.hpp"
#include "multicast/fec.hpp"

namespace castline::multicast {

class ChunkAssembler {
  public:
    ChunkAssembler(std::vector<std::uint32_t> chunk_sizes, std::uint32_t symbol_size,
                   std::size_t memory_limit);

    enum class Outcome { stored, complete, duplicate, already_written, over_memory, invalid };
    struct AddResult {
        Outcome outcome = Outcome::stored;
        std::string error;  // for invalid: names the field
    };
    // The datagram must already be authenticated.
    AddResult add(const SymbolDatagram& d);

    // The bytes of a chunk add() reported complete; the chunk's assembly is released.
    std::vector<std::uint8_t> take_chunk(std::uint32_t chunk);
    void mark_written(std::uint32_t chunk);
    // The chunk failed verification: forget it, so it is asked for again whole.
    void discard(std::uint32_t chunk) { in_progress_.erase(chunk); }

    Report needs(std::uint32_t pass) const;
    std::uint32_t chunks_written() const { return written_count_; }
    std::uint64_t bytes_written() const { return bytes_written_; }
    bool all_written() const { return written_count_ == chunk_sizes_.size(); }
    std::uint32_t chunk_count() const { return static_cast<std::uint32_t>(chunk_sizes_.size()); }
    std::size_t memory_used() const { return memory_used_; }

  private:
    struct BlockAssembly {
        std::vector<bool> have;              // by symbol index, sized at the block's first symbol
        std::vector<std::uint16_t> indices;  // received, in arrival order
        std::vector<std::uint8_t> parity;    // received parity symbols, in arrival order
        std::uint32_t wanted = 0;  // symbols to hold before decoding: k, more after need_more
        bool decoded = false;
    };
    struct ChunkAssembly {
        BlockLayout layout;
        std::vector<std::uint8_t> bytes;  // symbols * symbol_size, decoded blocks land here
        std::vector<BlockAssembly> blocks;
        std::uint16_t blocks_decoded = 0;
        std::size_t memory = 0;
    };
    DecodeResult decode(ChunkAssembly& a, std::uint16_t block);
    std::uint8_t* source_at(ChunkAssembly& a, std::uint16_t block, std::uint32_t symbol) const;

    std::vector<std::uint32_t> chunk_sizes_;
    std::uint32_t symbol_size_;
    std::size_t memory_limit_;
    std::size_t memory_used_ = 0;
    std::vector<bool> written_;
    std::uint32_t written_count_ = 0;
    std::uint64_t bytes_written_ = 0;
    std::map<std::uint32_t, ChunkAssembly> in_progress_;
};

}  // namespace castline::multicast
