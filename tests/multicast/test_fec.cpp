#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include <isa-l/erasure_code.h>

#include "multicast/fec.hpp"

using namespace castline::multicast;

namespace {

using Symbols = std::vector<std::vector<std::uint8_t>>;

Symbols random_symbols(std::mt19937& random, unsigned count, std::uint32_t size) {
    Symbols out(count, std::vector<std::uint8_t>(size));
    for (auto& s : out)
        std::generate(s.begin(), s.end(), [&] { return static_cast<std::uint8_t>(random()); });
    return out;
}

std::vector<const std::uint8_t*> pointers(const Symbols& symbols) {
    std::vector<const std::uint8_t*> out;
    for (auto& s : symbols) out.push_back(s.data());
    return out;
}

// A block of source symbols and its parity symbols from `first_parity` on.
struct Block {
    Block(std::mt19937& random, unsigned k_, std::uint32_t size_, unsigned first_parity_,
          unsigned rows)
        : k(k_),
          size(size_),
          first_parity(first_parity_),
          source(random_symbols(random, k_, size_)),
          parity(rows, std::vector<std::uint8_t>(size_)) {
        std::vector<std::uint8_t*> out;
        for (auto& p : parity) out.push_back(p.data());
        encode_parity(pointers(source), size, first_parity - k, out);
    }
    const std::uint8_t* symbol(unsigned index) const {
        return index < k ? source[index].data() : parity[index - first_parity].data();
    }
    // Decodes from the given symbol indices; the rebuilt sources land in `rebuilt`.
    DecodeResult decode(const std::vector<std::uint16_t>& indices, Symbols& rebuilt) const {
        rebuilt.assign(k, std::vector<std::uint8_t>(size));
        std::vector<const std::uint8_t*> received;
        for (auto i : indices) received.push_back(symbol(i));
        std::vector<std::uint8_t*> dst;
        for (auto& r : rebuilt) dst.push_back(r.data());
        return decode_block(indices, received, size, dst);
    }
    unsigned k;
    std::uint32_t size;
    unsigned first_parity;
    Symbols source, parity;
};

}  // namespace

TEST_CASE("block layout balances symbols over blocks of at most 1024") {
    const BlockLayout one(1000, 100);
    CHECK(one.symbol_count() == 10);
    CHECK(one.block_count() == 1);
    CHECK(one.source_bytes(9) == 100);
    const BlockLayout short_tail(1050, 100);
    CHECK(short_tail.symbol_count() == 11);
    CHECK(short_tail.source_bytes(10) == 50);
    const BlockLayout mebibyte(1 << 20, 1440);  // the default chunk is one block
    CHECK(mebibyte.symbol_count() == 729);
    CHECK(mebibyte.block_count() == 1);
    const BlockLayout big(3000 * 10, 10);  // 3000 symbols -> 3 blocks of 1000
    REQUIRE(big.block_count() == 3);
    CHECK(big.block(0).k == 1000);
    CHECK(big.block(2).first_symbol == 2000);
    const BlockLayout uneven(2050 * 10, 10);  // 2050 -> 684, 683, 683
    REQUIRE(uneven.block_count() == 3);
    CHECK(uneven.block(0).k == 684);
    CHECK(uneven.block(2).k == 683);
    CHECK(uneven.block(2).first_symbol == 1367);
}

TEST_CASE("a block of up to 128 is rebuilt by any k of its first 255 symbols") {
    std::mt19937 random(1);
    for (unsigned k : {1u, 2u, 7u, 64u, 128u}) {
        const Block block(random, k, 96, k, 255 - k);
        // Encoding a sub-range of rows gives the same rows.
        std::vector<std::uint8_t> row2(96);
        std::vector<std::uint8_t*> one{row2.data()};
        encode_parity(pointers(block.source), 96, 2, one);
        if (block.parity.size() > 2) CHECK(row2 == block.parity[2]);
        for (int trial = 0; trial < 5; ++trial) {
            std::vector<std::uint16_t> all(255);
            std::iota(all.begin(), all.end(), std::uint16_t{0});
            if (trial == 1 && k <= 255 - k)  // parity only
                std::iota(all.begin(), all.end() - k, static_cast<std::uint16_t>(k));
            if (trial == 2 && k > 3) {  // the usual case: a few sources lost, parity in their place
                std::swap(all[1], all[k + 19]);
                std::swap(all[k - 1], all[k + 4]);
            }
            if (trial > 2) std::shuffle(all.begin(), all.end(), random);
            Symbols rebuilt;
            const auto result =
                block.decode(std::vector<std::uint16_t>(all.begin(), all.begin() + k), rebuilt);
            CHECK(result.status == DecodeStatus::decoded);
            CHECK_MESSAGE(rebuilt == block.source, "k=" << k << " trial=" << trial);
        }
    }
}

TEST_CASE(
    "a large block is rebuilt from any mix of sources and parity, adding one symbol at a time "
    "in the rare dependent case") {
    std::mt19937 random(2);
    int extra_symbols = 0, decodes = 0;
    for (unsigned k : {300u, 729u, 1024u}) {
        // Hashed parity from two places: right after the sources and at the top of the 16-bit
        // index range.
        for (unsigned first_parity : {k, 65536u - 1024u}) {
            const Block block(random, k, 64, first_parity, 1024);
            for (double loss : {0.01, 0.05, 0.25, 1.0}) {
                std::vector<std::uint16_t> indices;
                for (unsigned s = 0; s < k; ++s)
                    if (std::uniform_real_distribution<>(0, 1)(random) >= loss)
                        indices.push_back(static_cast<std::uint16_t>(s));
                unsigned next_parity = first_parity;
                while (indices.size() < k)
                    indices.push_back(static_cast<std::uint16_t>(next_parity++));
                Symbols rebuilt;
                auto result = block.decode(indices, rebuilt);
                while (result.status == DecodeStatus::need_more && indices.size() < k + 8) {
                    ++extra_symbols;
                    indices.push_back(static_cast<std::uint16_t>(next_parity++));
                    result = block.decode(indices, rebuilt);
                }
                ++decodes;
                REQUIRE(result.status == DecodeStatus::decoded);
                CHECK_MESSAGE(rebuilt == block.source,
                              "k=" << k << " first parity " << first_parity << " loss " << loss);
            }
        }
    }
    // Dependent parity needs about one more symbol in 255 decodes.
    CHECK(extra_symbols <= 2);
    CHECK(decodes == 24);
}

TEST_CASE("dependent parity symbols ask for one more, and a surplus symbol completes the block") {
    // Two hashed parity rows whose weights over sources 0 and 1 are proportional cannot rebuild
    // both: find such a pair, as a receiver may meet it.
    unsigned s1 = 0, s2 = 0;
    for (unsigned a = 255; a < 2000 && s1 == 0; ++a)
        for (unsigned b = a + 1; b < 2000 && s1 == 0; ++b) {
            const auto lhs = gf_mul(parity_coefficient(a, 0), parity_coefficient(b, 1));
            const auto rhs = gf_mul(parity_coefficient(b, 0), parity_coefficient(a, 1));
            if (lhs == rhs) s1 = a, s2 = b;
        }
    REQUIRE(s1 != 0);
    std::mt19937 random(3);
    const Block block(random, 2, 32, 255, 2000 - 255);
    Symbols rebuilt;
    const std::vector<std::uint16_t> dependent{static_cast<std::uint16_t>(s1),
                                               static_cast<std::uint16_t>(s2)};
    CHECK(block.decode(dependent, rebuilt).status == DecodeStatus::need_more);
    auto three = dependent;
    three.push_back(static_cast<std::uint16_t>(s2 + 1));
    CHECK(block.decode(three, rebuilt).status == DecodeStatus::decoded);
    CHECK(rebuilt == block.source);
}

TEST_CASE("decode_block refuses bad input with a reason") {
    std::vector<std::uint8_t> a(16), b(16), out1(16), out2(16);
    std::vector<const std::uint8_t*> received{a.data(), b.data()};
    std::vector<std::uint8_t*> dst{out1.data(), out2.data()};
    const std::vector<std::uint16_t> twice{3, 3};
    const auto repeated = decode_block(twice, received, 16, dst);
    CHECK(repeated.status == DecodeStatus::invalid);
    CHECK(repeated.reason == "symbol index 3 given twice");
    const std::vector<std::uint16_t> too_few{3};
    CHECK(decode_block(too_few, std::span(received).first(1), 16, dst).reason ==
          "need at least 2 symbols, have 1");
    const std::vector<std::uint8_t*> none;
    CHECK(decode_block(too_few, std::span(received).first(1), 16, none).reason ==
          "block size 0 out of range");
}
