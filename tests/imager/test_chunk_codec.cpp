#include <doctest/doctest.h>

#include "imager/chunk_codec.hpp"
#include "imager/errors.hpp"
#include "imager_test_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

namespace {
PlainChunk make_chunk(std::uint64_t index, std::vector<std::uint8_t> data) {
    PlainChunk c;
    c.index = index;
    c.pieces = {{1 << 20, data.size() / 2}, {8 << 20, data.size() - data.size() / 2}};
    c.data = std::move(data);
    return c;
}
}  // namespace

TEST_CASE("plain chunks round trip and compress real data") {
    ChunkCodec codec(3, std::nullopt);
    const auto chunk = make_chunk(7, text_bytes(1 << 20));
    const auto encoded = codec.encode(chunk);
    CHECK(encoded.entry.stored_length == encoded.stored.size());
    CHECK(encoded.stored.size() < chunk.data.size() / 2);
    CHECK(encoded.entry.pieces == chunk.pieces);
    CHECK(codec.decode(7, encoded.entry, encoded.stored) == chunk.data);
}

TEST_CASE("at a slow level, compressible data gets that level and random data round trips") {
    ChunkCodec fast(1, std::nullopt), slow(9, std::nullopt);
    // Half random, half text: level 1 shrinks it, so the slow level must still be applied.
    auto mixed = random_bytes(1 << 19, 4);
    const auto text = text_bytes(1 << 19);
    mixed.insert(mixed.end(), text.begin(), text.end());
    const auto mixed_chunk = make_chunk(1, mixed);
    const auto slow_mixed = slow.encode(mixed_chunk);
    CHECK(slow_mixed.stored.size() < fast.encode(mixed_chunk).stored.size());
    CHECK(slow.decode(1, slow_mixed.entry, slow_mixed.stored) == mixed);

    // Random where the samples fall, text between them: the whole chunk still decides.
    auto hidden = random_bytes(1 << 20, 6);
    const auto hidden_text = text_bytes(200000);
    std::copy(hidden_text.begin(), hidden_text.end(), hidden.begin() + 100000);
    const auto hidden_chunk = make_chunk(3, hidden);
    const auto slow_hidden = slow.encode(hidden_chunk);
    CHECK(slow_hidden.stored.size() < fast.encode(hidden_chunk).stored.size());
    CHECK(slow.decode(3, slow_hidden.entry, slow_hidden.stored) == hidden);

    const auto random_chunk = make_chunk(2, random_bytes(1 << 20, 5));
    const auto slow_random = slow.encode(random_chunk);
    CHECK(slow_random.stored.size() <= random_chunk.data.size() + 64);
    CHECK(slow.decode(2, slow_random.entry, slow_random.stored) == random_chunk.data);
}

TEST_CASE("encrypted chunks round trip only under the right key and index") {
    std::array<std::uint8_t, 32> key{};
    key[0] = 1;
    ChunkCodec codec(1, key);
    const auto chunk = make_chunk(3, random_bytes(300000, 9));
    auto encoded = codec.encode(chunk);
    CHECK(codec.decode(3, encoded.entry, encoded.stored) == chunk.data);
    // The chunk index is authenticated: a chunk moved to another index is refused.
    CHECK_THROWS_WITH_AS(codec.decode(4, encoded.entry, encoded.stored),
                         doctest::Contains("authentication failed"), ImagerError);
    std::array<std::uint8_t, 32> other = key;
    other[31] = 9;
    ChunkCodec wrong(1, other);
    CHECK_THROWS_AS(wrong.decode(3, encoded.entry, encoded.stored), ImagerError);
}

TEST_CASE("a flipped bit is caught and the error names the chunk and its disk offset") {
    ChunkCodec codec(3, std::nullopt);
    const auto chunk = make_chunk(12, text_bytes(200000));
    auto encoded = codec.encode(chunk);
    encoded.stored[encoded.stored.size() / 2] ^= 0x10;
    CHECK_FALSE(stored_checksum_matches(encoded.entry, encoded.stored));
    CHECK_THROWS_WITH_AS(codec.decode(12, encoded.entry, encoded.stored),
                         "chunk 12 (disk offset 1048576): checksum mismatch", ImagerError);
}

TEST_CASE("a stored frame that matches its checksum but not the plaintext is refused") {
    // A manifest whose stored checksum was recomputed over a damaged frame: the plaintext
    // checksum still catches it.
    ChunkCodec codec(3, std::nullopt);
    const auto chunk = make_chunk(0, text_bytes(100000));
    auto encoded = codec.encode(chunk);
    auto other = codec.encode(make_chunk(0, text_bytes(100001)));
    other.entry.plain_length = encoded.entry.plain_length;
    other.entry.plain_checksum = encoded.entry.plain_checksum;
    CHECK_THROWS_AS(codec.decode(0, other.entry, other.stored), ImagerError);
}
