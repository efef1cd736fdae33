#include "multicast/symbol_feeder.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace castline::multicast {

SymbolFeeder::SymbolFeeder(ChunkSource& source, std::uint32_t symbol_size)
    : source_(source), symbol_size_(symbol_size) {}

void SymbolFeeder::load(std::vector<SendItem> plan) {
    plan_ = std::move(plan);
    item_ = 0;
    offset_ = 0;
    planned_ = 0;
    for (const auto& i : plan_) planned_ += i.count;
    if (!plan_.empty()) enter_item();
}

void SymbolFeeder::enter_item() {
    const auto& item = plan_[item_];
    if (item.chunk != chunk_index_) {
        chunk_ = source_.read_chunk(item.chunk);
        if (chunk_.size() != source_.chunk_size(item.chunk))
            throw std::runtime_error("chunk " + std::to_string(item.chunk) + ": source returned " +
                                     std::to_string(chunk_.size()) + " bytes, expected " +
                                     std::to_string(source_.chunk_size(item.chunk)));
        chunk_index_ = item.chunk;
        layout_.emplace(static_cast<std::uint32_t>(chunk_.size()), symbol_size_);
    }
    parity_rows_ = 0;
    const auto& layout = *layout_;
    if (item.block >= layout.block_count())
        throw std::runtime_error("chunk " + std::to_string(item.chunk) + ": no block " +
                                 std::to_string(item.block));
    const auto block = layout.block(item.block);
    // Which parity rows this item touches: encode the smallest row range that covers them.
    const unsigned end = unsigned{item.first_symbol} + item.count;
    if (end <= block.k) return;
    const unsigned low = std::max<unsigned>(item.first_symbol, block.k) - block.k;
    const unsigned high = end - block.k;
    padded_.assign(std::size_t{block.k} * symbol_size_, 0);
    const std::size_t start = std::size_t{block.first_symbol} * symbol_size_;
    const std::size_t length = std::min(padded_.size(), chunk_.size() - start);
    std::memcpy(padded_.data(), chunk_.data() + start, length);
    parity_first_ = low;
    parity_rows_ = high - low;
    parity_.assign(std::size_t{parity_rows_} * symbol_size_, 0);
    std::vector<const std::uint8_t*> in;
    std::vector<std::uint8_t*> out;
    for (unsigned j = 0; j < block.k; ++j) in.push_back(&padded_[std::size_t{j} * symbol_size_]);
    for (unsigned r = 0; r < parity_rows_; ++r)
        out.push_back(&parity_[std::size_t{r} * symbol_size_]);
    encode_parity(in, symbol_size_, parity_first_, out);
}

bool SymbolFeeder::next(SymbolDatagram& out) {
    while (item_ < plan_.size() && offset_ >= plan_[item_].count) {
        ++item_;
        offset_ = 0;
        if (item_ < plan_.size()) enter_item();
    }
    if (item_ >= plan_.size()) return false;
    const auto& item = plan_[item_];
    const unsigned s = unsigned{item.first_symbol} + offset_;
    ++offset_;
    const auto& layout = *layout_;
    const auto block = layout.block(item.block);
    out.chunk = item.chunk;
    out.block = item.block;
    out.symbol = static_cast<std::uint16_t>(s);
    if (s < block.k) {
        const auto symbol = block.first_symbol + s;
        out.payload = std::span<const std::uint8_t>(chunk_).subspan(
            std::size_t{symbol} * symbol_size_, layout.source_bytes(symbol));
    } else {
        out.payload = std::span<const std::uint8_t>(parity_).subspan(
            std::size_t{s - block.k - parity_first_} * symbol_size_, symbol_size_);
    }
    return true;
}

}  // namespace castline::multicast
