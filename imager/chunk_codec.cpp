#include "imager/chunk_codec.hpp"

#include <zstd.h>

#include <new>
#include <stdexcept>

#include "imager/byte_io.hpp"
#include "imager/errors.hpp"

namespace castline::imager {

struct ChunkCodec::Contexts {
    ZSTD_CCtx* compress = nullptr;
    ZSTD_DCtx* decompress = nullptr;
    ~Contexts() {
        ZSTD_freeCCtx(compress);
        ZSTD_freeDCtx(decompress);
    }
};

std::string describe_chunk(std::uint64_t index, const ChunkEntry& entry) {
    std::string text = "chunk " + std::to_string(index);
    if (!entry.pieces.empty())
        text += " (disk offset " + std::to_string(entry.pieces.front().offset) + ")";
    return text;
}

namespace {
// Level 1 must save this share (in percent) for a slower level to be worth trying.
constexpr std::size_t kWorthPercent = 2;
// Four 16 KiB samples, evenly spread (first and last included), cost 6 % of a level-1 pass.
constexpr std::size_t kSamples = 4;
constexpr std::size_t kSampleBytes = 16 * 1024;

bool saves_enough(std::size_t plain, std::size_t compressed) {
    return compressed * 100 < plain * (100 - kWorthPercent);
}

std::array<std::uint8_t, 8> index_aad(std::uint64_t index) {
    std::array<std::uint8_t, 8> aad{};
    store_u64(aad.data(), index);
    return aad;
}
}  // namespace

ChunkCodec::ChunkCodec(int level, const std::optional<std::array<std::uint8_t, 32>>& key)
    : level_(level), contexts_(std::make_unique<Contexts>()) {
    if (key) cipher_ = std::make_unique<ImageCipher>(*key);
    contexts_->compress = ZSTD_createCCtx();
    contexts_->decompress = ZSTD_createDCtx();
    if (!contexts_->compress || !contexts_->decompress) throw std::bad_alloc();
}

ChunkCodec::~ChunkCodec() = default;

EncodedChunk ChunkCodec::encode(const PlainChunk& chunk) {
    EncodedChunk out;
    out.entry.plain_length = static_cast<std::uint32_t>(chunk.data.size());
    out.entry.pieces = chunk.pieces;
    out.entry.plain_checksum = xxh3_128(chunk.data);
    // One scratch buffer per codec: a fresh zero-filled bound per chunk cost a memset and its
    // page faults on every chunk.
    std::vector<std::uint8_t>& compressed = scratch_;
    if (compressed.size() < ZSTD_compressBound(chunk.data.size()))
        compressed.resize(ZSTD_compressBound(chunk.data.size()));
    const auto compress_at = [&](int level, std::span<const std::uint8_t> plain) {
        const auto n = ZSTD_compressCCtx(contexts_->compress, compressed.data(), compressed.size(),
                                         plain.data(), plain.size(), level);
        if (ZSTD_isError(n))
            throw std::runtime_error(std::string("zstd compression failed: ") +
                                     ZSTD_getErrorName(n));
        return n;
    };
    // zstd's lazy strategies (level 5 and up) search random data at about 250 MB/s for nothing,
    // where level 1 gives up at GB/s: what level 1 cannot shrink is kept as level 1 made it.
    // A few samples decide first, so compressible chunks do not pay for a whole level-1 pass.
    const auto samples_compress = [&] {
        const std::span<const std::uint8_t> data = chunk.data;
        const std::size_t slice = std::min(kSampleBytes, data.size());
        for (std::size_t s = 0; s < kSamples; ++s) {
            const auto sample = data.subspan((data.size() - slice) * s / (kSamples - 1), slice);
            if (saves_enough(sample.size(), compress_at(1, sample))) return true;
        }
        return false;
    };
    constexpr int first_lazy_level = 5;
    std::size_t n = 0;
    if (level_ >= first_lazy_level && !samples_compress()) {
        n = compress_at(1, chunk.data);
        if (saves_enough(chunk.data.size(), n)) n = compress_at(level_, chunk.data);
    } else {
        n = compress_at(level_, chunk.data);
    }
    const std::span<const std::uint8_t> result(compressed.data(), n);
    if (cipher_) {
        const auto aad = index_aad(chunk.index);
        out.stored = cipher_->seal(ImageCipher::Domain::chunk, chunk.index, aad, result);
    } else {
        out.stored.assign(result.begin(), result.end());
    }
    out.entry.stored_length = static_cast<std::uint32_t>(out.stored.size());
    out.entry.stored_checksum = xxh3_128(out.stored);
    return out;
}

bool stored_checksum_matches(const ChunkEntry& entry, std::span<const std::uint8_t> stored) {
    return stored.size() == entry.stored_length && xxh3_128(stored) == entry.stored_checksum;
}

std::vector<std::uint8_t> ChunkCodec::decode(std::uint64_t index, const ChunkEntry& entry,
                                             std::span<const std::uint8_t> stored) {
    const auto name = describe_chunk(index, entry);
    if (!stored_checksum_matches(entry, stored)) throw bad_image(name + ": checksum mismatch");
    std::vector<std::uint8_t> opened;
    std::span<const std::uint8_t> frame = stored;
    if (cipher_) {
        const auto aad = index_aad(index);
        if (!cipher_->open(ImageCipher::Domain::chunk, index, aad, stored, opened))
            throw bad_image(name + ": authentication failed (damaged or moved chunk)");
        frame = opened;
    }
    std::vector<std::uint8_t> plain(entry.plain_length);
    const auto n = ZSTD_decompressDCtx(contexts_->decompress, plain.data(), plain.size(),
                                       frame.data(), frame.size());
    if (ZSTD_isError(n)) throw bad_image(name + ": cannot decompress: " + ZSTD_getErrorName(n));
    if (n != plain.size())
        throw bad_image(name + ": decompressed to " + std::to_string(n) + " bytes, expected " +
                        std::to_string(plain.size()));
    if (xxh3_128(plain) != entry.plain_checksum)
        throw bad_image(name + ": plaintext checksum mismatch");
    return plain;
}

}  // namespace castline::imager
