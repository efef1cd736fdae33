// Any bytes as a stored chunk of an image (read from a file, an HTTP server or a multicast
// session): decoded to exactly the plaintext length the chunk table gives, or refused with
// ImagerError(bad_image) naming the chunk, never a crash.
//
// Input: flags, plain_length (u32 LE, at most 1 MiB here), plaintext checksum (16 bytes), then
// the bytes. Flags: 1 the image is encrypted; 2 seal the bytes with the image key first, so
// that they reach zstd through AES-GCM; 4 the bytes are plaintext: encode them, decode them
// back whole, then damage one stored byte: refused, or decoded to the same plaintext.
#include <cstdint>
#include <cstring>
#include <optional>

#include "imager/byte_io.hpp"
#include "imager/chunk_codec.hpp"
#include "imager/errors.hpp"

namespace {
constexpr std::uint64_t kIndex = 7;
constexpr std::array<std::uint8_t, 32> kKey = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                               12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                               23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::imager;
    if (size < 21) return 0;
    const std::uint8_t flags = data[0];
    const bool encrypted = flags & 1;
    static ChunkCodec plain_codec(1, std::nullopt);
    static ChunkCodec sealed_codec(1, kKey);
    ChunkCodec& codec = encrypted ? sealed_codec : plain_codec;
    const std::span<const std::uint8_t> bytes(data + 21, size - 21);

    if (flags & 4) {
        PlainChunk chunk;
        chunk.index = kIndex;
        chunk.data.assign(bytes.begin(), bytes.end());
        chunk.pieces = {{4096, chunk.data.size()}};
        auto encoded = codec.encode(chunk);
        if (codec.decode(kIndex, encoded.entry, encoded.stored) != chunk.data) __builtin_trap();
        if (encoded.stored.empty()) return 0;
        // Damage one byte behind the stored checksum: the layers below (GCM tag, zstd, the
        // plaintext checksum) must refuse it, or give back exactly the plaintext (a zstd frame
        // header has bits that change nothing).
        encoded.stored[data[1] % encoded.stored.size()] ^=
            static_cast<std::uint8_t>(1 + data[2] % 255);
        encoded.entry.stored_checksum = xxh3_128(encoded.stored);
        try {
            if (codec.decode(kIndex, encoded.entry, encoded.stored) != chunk.data) __builtin_trap();
        } catch (const ImagerError& e) {
            if (e.code != ExitCode::bad_image) __builtin_trap();
        }
        return 0;
    }

    ChunkEntry entry;
    const std::uint32_t length =
        data[1] | data[2] << 8 | data[3] << 16 | std::uint32_t{data[4]} << 24;
    entry.plain_length = length % ((1u << 20) + 1);
    std::memcpy(entry.plain_checksum.bytes.data(), data + 5, 16);
    entry.pieces = {{4096, entry.plain_length}};
    std::vector<std::uint8_t> stored(bytes.begin(), bytes.end());
    if (encrypted && (flags & 2)) {
        std::array<std::uint8_t, 8> aad{};
        store_u64(aad.data(), kIndex);
        ImageCipher cipher(kKey);
        stored = cipher.seal(ImageCipher::Domain::chunk, kIndex, aad, bytes);
    }
    entry.stored_length = static_cast<std::uint32_t>(stored.size());
    entry.stored_checksum = xxh3_128(stored);
    try {
        const auto plain = codec.decode(kIndex, entry, stored);
        if (plain.size() != entry.plain_length || xxh3_128(plain) != entry.plain_checksum)
            __builtin_trap();
    } catch (const ImagerError& e) {
        if (e.code != ExitCode::bad_image ||
            std::string_view(e.what()).find("chunk 7") == std::string_view::npos)
            __builtin_trap();
    }
    return 0;
}
