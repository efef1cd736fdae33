#include "multicast/chunk_assembler.hpp"

#include <cstring>

namespace castline::multicast {

ChunkAssembler::ChunkAssembler(std::vector<std::uint32_t> chunk_sizes, std::uint32_t symbol_size,
                               std::size_t memory_limit)
    : chunk_sizes_(std::move(chunk_sizes)),
      symbol_size_(symbol_size),
      memory_limit_(memory_limit),
      written_(chunk_sizes_.size(), false) {}

ChunkAssembler::AddResult ChunkAssembler::add(const SymbolDatagram& d) {
    if (d.chunk >= chunk_sizes_.size())
        return {Outcome::invalid, "chunk: " + std::to_string(d.chunk) +
                                      " is beyond the last chunk (" +
                                      std::to_string(chunk_sizes_.size()) + " chunks)"};
    if (written_[d.chunk]) return {Outcome::already_written, {}};
    auto it = in_progress_.find(d.chunk);
    if (it == in_progress_.end()) {
        BlockLayout layout(chunk_sizes_[d.chunk], symbol_size_);
        if (d.block >= layout.block_count())
            return {Outcome::invalid, "block: " + std::to_string(d.block) + " is beyond chunk " +
                                          std::to_string(d.chunk) + "'s " +
                                          std::to_string(layout.block_count()) + " blocks"};
        // A chunk needs its bytes plus at most the same again in parity symbols.
        const std::size_t memory = 2 * std::size_t{layout.symbol_count()} * symbol_size_;
        if (memory_used_ + memory > memory_limit_ && !in_progress_.empty())
            return {Outcome::over_memory, {}};
        ChunkAssembly a{layout, {}, {}, 0, memory};
        a.bytes.assign(std::size_t{layout.symbol_count()} * symbol_size_, 0);
        a.blocks.resize(layout.block_count());
        memory_used_ += memory;
        it = in_progress_.emplace(d.chunk, std::move(a)).first;
    }
    auto& a = it->second;
    if (d.block >= a.layout.block_count())
        return {Outcome::invalid, "block: " + std::to_string(d.block) + " is beyond chunk " +
                                      std::to_string(d.chunk) + "'s " +
                                      std::to_string(a.layout.block_count()) + " blocks"};
    const auto span = a.layout.block(d.block);
    // Source symbols carry only their real bytes (the last one of a chunk is short); parity
    // symbols are always a full symbol.
    const std::uint32_t expected =
        d.symbol < span.k ? a.layout.source_bytes(span.first_symbol + d.symbol) : symbol_size_;
    if (d.payload.size() != expected)
        return {Outcome::invalid,
                "payload: " + std::to_string(d.payload.size()) + " bytes for chunk " +
                    std::to_string(d.chunk) + " block " + std::to_string(d.block) + " symbol " +
                    std::to_string(d.symbol) + ", expected " + std::to_string(expected)};
    auto& b = a.blocks[d.block];
    if (b.decoded) return {Outcome::duplicate, {}};
    if (b.have.empty()) {
        b.have.resize(symbol_index_limit, false);
        b.wanted = span.k;
    }
    if (b.have[d.symbol]) return {Outcome::duplicate, {}};
    b.have[d.symbol] = true;
    b.indices.push_back(d.symbol);
    // Sources go straight to their place in the chunk (zero-padded already); only parity is kept
    // aside. Half the memory to fault in: with loss, every chunk of a lap is in progress at once.
    if (d.symbol < span.k) {
        std::memcpy(source_at(a, d.block, d.symbol), d.payload.data(), d.payload.size());
    } else {
        const auto at = b.parity.size();
        b.parity.resize(at + symbol_size_);
        std::memcpy(&b.parity[at], d.payload.data(), d.payload.size());
    }
    if (b.indices.size() < b.wanted) return {Outcome::stored, {}};
    const auto result = decode(a, d.block);
    if (result.status == DecodeStatus::need_more) {
        b.wanted = static_cast<std::uint32_t>(b.indices.size()) + 1;
        return {Outcome::stored, {}};
    }
    if (result.status == DecodeStatus::invalid) {
        a.blocks[d.block] = BlockAssembly{};
        return {Outcome::invalid, "chunk " + std::to_string(d.chunk) + " block " +
                                      std::to_string(d.block) + ": " + result.reason};
    }
    return {a.blocks_decoded == a.layout.block_count() ? Outcome::complete : Outcome::stored, {}};
}

DecodeResult ChunkAssembler::decode(ChunkAssembly& a, std::uint16_t block) {
    auto& b = a.blocks[block];
    const auto span = a.layout.block(block);
    std::vector<const std::uint8_t*> received;
    std::vector<std::uint8_t*> source;
    for (unsigned j = 0; j < span.k; ++j) source.push_back(source_at(a, block, j));
    std::size_t parity_seen = 0;
    for (auto index : b.indices)
        received.push_back(index < span.k ? source[index]
                                          : &b.parity[parity_seen++ * symbol_size_]);
    auto result = decode_block(b.indices, received, symbol_size_, source);
    if (result.status != DecodeStatus::decoded) return result;
    b = BlockAssembly{};
    b.decoded = true;
    ++a.blocks_decoded;
    return result;
}

std::uint8_t* ChunkAssembler::source_at(ChunkAssembly& a, std::uint16_t block,
                                        std::uint32_t symbol) const {
    return &a.bytes[(std::size_t{a.layout.block(block).first_symbol} + symbol) * symbol_size_];
}

std::vector<std::uint8_t> ChunkAssembler::take_chunk(std::uint32_t chunk) {
    auto it = in_progress_.find(chunk);
    if (it == in_progress_.end() || it->second.blocks_decoded != it->second.layout.block_count())
        return {};
    auto bytes = std::move(it->second.bytes);
    bytes.resize(chunk_sizes_[chunk]);
    memory_used_ -= it->second.memory;
    in_progress_.erase(it);
    return bytes;
}

void ChunkAssembler::mark_written(std::uint32_t chunk) {
    if (chunk >= written_.size() || written_[chunk]) return;
    if (auto it = in_progress_.find(chunk); it != in_progress_.end()) {
        memory_used_ -= it->second.memory;
        in_progress_.erase(it);
    }
    written_[chunk] = true;
    ++written_count_;
    bytes_written_ += chunk_sizes_[chunk];
}

Report ChunkAssembler::needs(std::uint32_t pass) const {
    Report r;
    r.pass = pass;
    r.chunks_done = written_count_;
    r.bytes_done = bytes_written_;
    for (std::uint32_t c = 0; c < written_.size(); ++c) {
        if (written_[c]) continue;
        auto it = in_progress_.find(c);
        if (it == in_progress_.end()) {
            if (!r.whole.empty() && r.whole.back().first + r.whole.back().count == c)
                ++r.whole.back().count;
            else
                r.whole.push_back({c, 1});
            continue;
        }
        const auto& a = it->second;
        for (std::uint16_t b = 0; b < a.layout.block_count(); ++b) {
            const auto& block = a.blocks[b];
            if (block.decoded) continue;
            const std::uint32_t wanted = block.have.empty() ? a.layout.block(b).k : block.wanted;
            r.partial.push_back({c, b, static_cast<std::uint16_t>(wanted - block.indices.size())});
        }
    }
    return r;
}

}  // namespace castline::multicast
