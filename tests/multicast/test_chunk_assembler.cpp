#include <doctest/doctest.h>

#include <random>

#include "multicast/chunk_assembler.hpp"

using namespace castline::multicast;

namespace {
SymbolDatagram symbol(std::uint32_t chunk, std::uint16_t block, std::uint8_t s,
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
