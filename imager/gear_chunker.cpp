#include "imager/gear_chunker.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace castline::imager {
namespace {

// 256 random 64-bit values from splitmix64 with a fixed seed. They decide where chunks are cut,
// so changing them changes no image's readability, only which chunks two images share.
constexpr std::array<std::uint64_t, 256> make_gear() {
    std::array<std::uint64_t, 256> table{};
    std::uint64_t state = 0x636173746c696e65ULL;  // "castline"
    for (auto& value : table) {
        state += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        value = z ^ (z >> 31);
    }
    return table;
}
constexpr auto gear = make_gear();

// The gear hash shifts left, so its top bits depend on the last 64 bytes; masks take top bits.
constexpr std::uint64_t top_bits(int bits) {
    return bits <= 0 ? 0 : ~0ULL << (64 - bits);
}

}  // namespace

std::size_t find_cut(std::span<const std::uint8_t> data, const ChunkerParams& params) {
    std::size_t n = data.size();
    if (n <= params.min_size) return n;
    if (n > params.max_size) n = params.max_size;
    const int bits = std::bit_width(params.average_size) - 1;
    // Normalized chunking: harder to cut before the average size, easier after it, which
    // narrows the size distribution around the average.
    const std::uint64_t mask_hard = top_bits(bits + 2);
    const std::uint64_t mask_easy = top_bits(bits - 2);
    const std::size_t normal = std::min<std::size_t>(params.average_size, n);
    std::uint64_t hash = 0;
    std::size_t i = params.min_size;
    for (; i < normal; ++i) {
        hash = (hash << 1) + gear[data[i]];
        if (!(hash & mask_hard)) return i + 1;
    }
    for (; i < n; ++i) {
        hash = (hash << 1) + gear[data[i]];
        if (!(hash & mask_easy)) return i + 1;
    }
    return n;
}

StreamChunker::StreamChunker(ChunkerParams params, Emit emit)
    : params_(params), emit_(std::move(emit)) {
    if (params_.min_size == 0 || params_.min_size > params_.average_size ||
        params_.average_size > params_.max_size || !std::has_single_bit(params_.average_size))
        throw std::invalid_argument(
            "chunker: need 0 < min <= average <= max, average a power of 2");
    buffer_.resize(static_cast<std::size_t>(params_.max_size) * 4);
}

void StreamChunker::feed(std::uint64_t disk_offset, std::span<const std::uint8_t> data) {
    while (!data.empty()) {
        if (end_ == buffer_.size()) {
            // Compact: less than max_size bytes are pending here, moved once per ~3 chunks.
            std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
            end_ -= start_;
            start_ = 0;
        }
        const std::size_t take = std::min(data.size(), buffer_.size() - end_);
        std::memcpy(buffer_.data() + end_, data.data(), take);
        end_ += take;
        if (!pending_pieces_.empty() &&
            pending_pieces_.back().offset + pending_pieces_.back().length == disk_offset)
            pending_pieces_.back().length += take;
        else
            pending_pieces_.push_back({disk_offset, take});
        disk_offset += take;
        data = data.subspan(take);
        while (end_ - start_ >= params_.max_size)
            cut(find_cut({buffer_.data() + start_, end_ - start_}, params_));
    }
}

void StreamChunker::finish() {
    while (end_ > start_) cut(find_cut({buffer_.data() + start_, end_ - start_}, params_));
}

void StreamChunker::cut(std::size_t length) {
    PlainChunk chunk;
    chunk.index = next_index_++;
    chunk.data.assign(buffer_.begin() + static_cast<long>(start_),
                      buffer_.begin() + static_cast<long>(start_ + length));
    std::size_t left = length;
    while (left > 0) {
        Extent& front = pending_pieces_.front();
        const std::uint64_t take = std::min<std::uint64_t>(front.length, left);
        chunk.pieces.push_back({front.offset, take});
        front.offset += take;
        front.length -= take;
        left -= take;
        if (front.length == 0) pending_pieces_.pop_front();
    }
    start_ += length;
    emit_(std::move(chunk));
}

}  // namespace castline::imager
