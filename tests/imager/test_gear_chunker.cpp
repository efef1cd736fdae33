#include <doctest/doctest.h>

#include <set>

#include "imager/gear_chunker.hpp"
#include "imager_test_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

namespace {
std::vector<std::size_t> boundaries(std::span<const std::uint8_t> data, const ChunkerParams& p) {
    std::vector<std::size_t> cuts;
    std::size_t at = 0;
    while (at < data.size()) {
        at += find_cut(data.subspan(at), p);
        cuts.push_back(at);
    }
    return cuts;
}

std::vector<PlainChunk> chunk_all(std::span<const std::uint8_t> data, const ChunkerParams& p,
                                  std::size_t feed_size) {
    std::vector<PlainChunk> out;
    StreamChunker chunker(p, [&](PlainChunk&& c) { out.push_back(std::move(c)); });
    for (std::size_t at = 0; at < data.size(); at += feed_size)
        chunker.feed(1000000 + at, data.subspan(at, std::min(feed_size, data.size() - at)));
    chunker.finish();
    return out;
}
}  // namespace

TEST_CASE("the default chunker is what --chunk-size 2MiB means") {
    const ChunkerParams defaults;
    const auto two = chunker_for_average(2 << 20);
    CHECK(defaults.min_size == two.min_size);
    CHECK(defaults.average_size == two.average_size);
    CHECK(defaults.max_size == two.max_size);
    CHECK(two.min_size == 512 * 1024);
    CHECK(two.max_size == 4 << 20);
}

TEST_CASE("chunk sizes respect min and max and average near the target") {
    const ChunkerParams p;
    const auto data = random_bytes(48 << 20, 1);
    const auto cuts = boundaries(data, p);
    std::size_t previous = 0;
    for (std::size_t i = 0; i < cuts.size(); ++i) {
        const auto size = cuts[i] - previous;
        CHECK(size <= p.max_size);
        if (i + 1 < cuts.size()) CHECK(size >= p.min_size);
        previous = cuts[i];
    }
    const double average = static_cast<double>(data.size()) / static_cast<double>(cuts.size());
    CHECK(average > 0.7 * p.average_size);
    CHECK(average < 1.6 * p.average_size);
}

TEST_CASE("boundaries are stable under an insertion: only chunks near it change") {
    const ChunkerParams p;
    auto data = random_bytes(64 << 20, 2);
    const auto before = boundaries(data, p);
    const std::size_t insert_at = 10 << 20;
    const auto inserted = random_bytes(1000, 3);
    data.insert(data.begin() + static_cast<long>(insert_at), inserted.begin(), inserted.end());
    const auto after = boundaries(data, p);
    // Boundaries after the insertion, shifted back, must mostly match the old ones.
    std::set<std::size_t> old_cuts(before.begin(), before.end());
    std::size_t shifted_matches = 0, later = 0;
    for (auto cut : after) {
        if (cut <= insert_at + p.max_size * 2) continue;
        ++later;
        if (old_cuts.count(cut - inserted.size())) ++shifted_matches;
    }
    REQUIRE(later > 10);
    CHECK(shifted_matches == later);
    // Boundaries before the insertion are unchanged.
    for (auto cut : before)
        if (cut < insert_at) CHECK(std::find(after.begin(), after.end(), cut) != after.end());
}

TEST_CASE("streaming gives the same chunks whatever the feed size, with the right pieces") {
    ChunkerParams p;
    p.min_size = 16 * 1024;
    p.average_size = 64 * 1024;
    p.max_size = 256 * 1024;
    auto data = text_bytes(3 << 20);
    const auto noise = random_bytes(1 << 20, 4);
    data.insert(data.end(), noise.begin(), noise.end());
    const auto a = chunk_all(data, p, 4096);
    const auto b = chunk_all(data, p, 1 << 20);
    const auto c = boundaries(data, p);
    REQUIRE(a.size() == b.size());
    REQUIRE(a.size() == c.size());
    std::vector<std::uint8_t> joined;
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].index == i);
        CHECK(a[i].data == b[i].data);
        joined.insert(joined.end(), a[i].data.begin(), a[i].data.end());
        // Contiguous input: one piece, at its stream position.
        REQUIRE(a[i].pieces.size() == 1);
        CHECK(a[i].pieces[0].offset == 1000000 + joined.size() - a[i].data.size());
        CHECK(a[i].pieces[0].length == a[i].data.size());
    }
    CHECK(joined == data);
}

TEST_CASE("a chunk spanning separate disk ranges records each piece") {
    ChunkerParams p;
    p.min_size = 64 * 1024;
    p.average_size = 128 * 1024;
    p.max_size = 512 * 1024;
    std::vector<PlainChunk> out;
    StreamChunker chunker(p, [&](PlainChunk&& c) { out.push_back(std::move(c)); });
    const auto a = random_bytes(10000, 5), b = random_bytes(20000, 6);
    chunker.feed(4096, a);
    chunker.feed(1 << 20, b);
    chunker.finish();
    REQUIRE(out.size() == 1);
    REQUIRE(out[0].pieces.size() == 2);
    CHECK(out[0].pieces[0] == Extent{4096, 10000});
    CHECK(out[0].pieces[1] == Extent{1 << 20, 20000});
}

TEST_CASE("bad chunker parameters are refused") {
    ChunkerParams p;
    p.average_size = 1000000;  // not a power of two
    CHECK_THROWS(StreamChunker(p, [](PlainChunk&&) {}));
}
