#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "multicast/fec.hpp"

using namespace castline::multicast;

TEST_CASE("block layout balances symbols over blocks of at most 128") {
    const BlockLayout one(1000, 100);
    CHECK(one.symbol_count() == 10);
    CHECK(one.block_count() == 1);
    CHECK(one.source_bytes(9) == 100);
    const BlockLayout short_tail(1050, 100);
    CHECK(short_tail.symbol_count() == 11);
    CHECK(short_tail.source_bytes(10) == 50);
    const BlockLayout big(300 * 100, 100);  // 300 symbols -> 3 blocks of 100
    REQUIRE(big.block_count() == 3);
    CHECK(big.block(0).k == 100);
    CHECK(big.block(2).first_symbol == 200);
    const BlockLayout uneven(257 * 10, 10);  // 257 -> 86, 86, 85
    REQUIRE(uneven.block_count() == 3);
    CHECK(uneven.block(0).k == 86);
    CHECK(uneven.block(2).k == 85);
    CHECK(uneven.block(2).first_symbol == 172);
}

TEST_CASE("any k of the 255 symbols rebuild the block") {
    std::mt19937 random(1);
    const std::uint32_t size = 96;
    for (unsigned k : {1u, 2u, 7u, 64u, 128u}) {
        std::vector<std::vector<std::uint8_t>> source(k, std::vector<std::uint8_t>(size));
        for (auto& s : source)
            std::generate(s.begin(), s.end(), [&] { return static_cast<std::uint8_t>(random()); });
        const unsigned rows = 255 - k;
        std::vector<std::vector<std::uint8_t>> parity(rows, std::vector<std::uint8_t>(size));
        std::vector<const std::uint8_t*> in;
        std::vector<std::uint8_t*> out;
        for (auto& s : source) in.push_back(s.data());
        for (auto& p : parity) out.push_back(p.data());
        encode_parity(in, size, 0, out);
        // Encoding a sub-range of rows gives the same rows.
        if (rows > 3) {
            std::vector<std::uint8_t> row2(size);
            std::vector<std::uint8_t*> one{row2.data()};
            encode_parity(in, size, 2, one);
            CHECK(row2 == parity[2]);
        }
        for (int trial = 0; trial < 5; ++trial) {
            std::vector<std::uint8_t> all(255);
            std::iota(all.begin(), all.end(), 0);
            std::shuffle(all.begin(), all.end(), random);
            if (trial == 0)
                std::iota(all.begin(), all.end(), static_cast<std::uint8_t>(0));  // sources only
            if (trial == 1 && k <= rows)
                std::iota(all.begin(), all.end() - k, static_cast<std::uint8_t>(k));  // parity only
            if (trial == 2 && k > 3 && rows > 20) {
                // The usual case: a few sources lost, as many parity symbols in their place.
                std::iota(all.begin(), all.end(), static_cast<std::uint8_t>(0));
                std::swap(all[1], all[k + 19]);
                std::swap(all[k - 1], all[k + 4]);
            }
            std::vector<std::uint8_t> indices(all.begin(), all.begin() + k);
            std::vector<const std::uint8_t*> received;
            for (auto i : indices)
                received.push_back(i < k ? source[i].data() : parity[i - k].data());
            std::vector<std::vector<std::uint8_t>> rebuilt(k, std::vector<std::uint8_t>(size));
            std::vector<std::uint8_t*> dst;
            for (auto& r : rebuilt) dst.push_back(r.data());
            CHECK(decode_block(indices, received, size, dst).empty());
            CHECK_MESSAGE(rebuilt == source, "k=" << k << " trial=" << trial);
        }
    }
}

TEST_CASE("decode_block refuses bad input with a reason") {
    std::vector<std::uint8_t> a(16), b(16), out1(16), out2(16);
    std::vector<const std::uint8_t*> received{a.data(), b.data()};
    std::vector<std::uint8_t*> dst{out1.data(), out2.data()};
    const std::vector<std::uint8_t> twice{3, 3};
    CHECK(decode_block(twice, received, 16, dst).find("twice") != std::string::npos);
    const std::vector<std::uint8_t> too_few{3};
    CHECK(decode_block(too_few, std::span(received).first(1), 16, dst).find("exactly") !=
          std::string::npos);
    const std::vector<std::uint8_t> out_of_range{3, 255};
    CHECK(decode_block(out_of_range, received, 16, dst).find("out of range") != std::string::npos);
}
