#include <doctest/doctest.h>

#include <isa-l/erasure_code.h>

#include <random>

#include "multicast/chunk_assembler.hpp"

using namespace castline::multicast;

namespace {
SymbolDatagram symbol(std::uint32_t chunk, std::uint16_t block, std::uint16_t s,
                      const std::vector<std::uint8_t>& payload) {
    SymbolDatagram d;
    d.chunk = chunk;
    d.block = block;
    d.symbol = s;
    d.payload = payload;
    return d;
}
}  // namespace

TEST_CASE("symbols that do not fit the chunk table are invalid and name the problem") {
    ChunkAssembler a({1000, 50}, 100, 1 << 20);
    std::vector<std::uint8_t> full(100, 1), short_(50, 1);
    CHECK(a.add(symbol(2, 0, 0, full)).error.starts_with("chunk: 2"));
    CHECK(a.add(symbol(0, 1, 0, full)).error.starts_with("block: 1"));
    CHECK(a.add(symbol(1, 0, 0, full)).error.starts_with("payload: 100 bytes for chunk 1"));
    CHECK(a.add(symbol(0, 0, 12, short_))
              .error.starts_with("payload: 50 bytes"));  // parity is full size
    CHECK(a.add(symbol(1, 0, 0, short_)).outcome == ChunkAssembler::Outcome::complete);
    CHECK(a.take_chunk(1) == short_);
}

TEST_CASE("needs list whole chunks as ranges and partial blocks with their shortfall") {
    ChunkAssembler a({1000, 1000, 1000, 1000}, 100, 1 << 20);
    std::vector<std::uint8_t> full(100, 1);
    a.add(symbol(1, 0, 0, full));
    a.add(symbol(1, 0, 0, full));  // duplicate
    a.mark_written(3);
    auto r = a.needs(5);
    CHECK(r.pass == 5);
    CHECK(r.whole == std::vector<ChunkRange>{{0, 1}, {2, 1}});
    CHECK(r.partial == std::vector<BlockNeed>{{1, 0, 9}});
    CHECK(r.chunks_done == 1);
    a.discard(1);
    r = a.needs(6);
    CHECK(r.whole == std::vector<ChunkRange>{{0, 3}});
    CHECK(a.add(symbol(3, 0, 0, full)).outcome == ChunkAssembler::Outcome::already_written);
}

TEST_CASE("memory is bounded: symbols of new chunks wait when the limit is reached") {
    ChunkAssembler a({1000, 1000}, 100, 2000);  // room for one chunk (2 x 1000)
    std::vector<std::uint8_t> full(100, 1);
    CHECK(a.add(symbol(0, 0, 0, full)).outcome == ChunkAssembler::Outcome::stored);
    CHECK(a.add(symbol(1, 0, 0, full)).outcome == ChunkAssembler::Outcome::over_memory);
    CHECK(a.memory_used() == 2000);
}

TEST_CASE("a block whose parity turns out dependent asks for one more symbol and then decodes") {
    // Two hashed parity symbols with proportional weights over the block's two sources.
    unsigned s1 = 0, s2 = 0;
    for (unsigned a = 255; a < 2000 && s1 == 0; ++a)
        for (unsigned b = a + 1; b < 2000 && s1 == 0; ++b)
            if (gf_mul(parity_coefficient(a, 0), parity_coefficient(b, 1)) ==
                gf_mul(parity_coefficient(b, 0), parity_coefficient(a, 1)))
                s1 = a, s2 = b;
    REQUIRE(s1 != 0);
    std::vector<std::uint8_t> chunk(200);
    for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<std::uint8_t>(i * 7);
    const std::vector<const std::uint8_t*> sources{chunk.data(), chunk.data() + 100};
    auto parity_symbol = [&](unsigned index) {
        std::vector<std::uint8_t> out(100);
        std::vector<std::uint8_t*> rows{out.data()};
        encode_parity(sources, 100, index - 2, rows);
        return out;
    };
    const auto p1 = parity_symbol(s1), p2 = parity_symbol(s2), p3 = parity_symbol(s2 + 1);
    ChunkAssembler a({200}, 100, 1 << 20);
    CHECK(a.add(symbol(0, 0, static_cast<std::uint16_t>(s1), p1)).outcome ==
          ChunkAssembler::Outcome::stored);
    CHECK(a.add(symbol(0, 0, static_cast<std::uint16_t>(s2), p2)).outcome ==
          ChunkAssembler::Outcome::stored);
    CHECK(a.needs(1).partial == std::vector<BlockNeed>{{0, 0, 1}});
    CHECK(a.add(symbol(0, 0, static_cast<std::uint16_t>(s2 + 1), p3)).outcome ==
          ChunkAssembler::Outcome::complete);
    CHECK(a.take_chunk(0) == chunk);
}
