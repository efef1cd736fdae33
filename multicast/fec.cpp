#include "multicast/fec.hpp"

#include <isa-l/erasure_code.h>

#include <algorithm>
#include <stdexcept>

namespace castline::multicast {
namespace {

// ISA-L expands each coefficient into a 32-byte table; combining in batches of this many outputs
// bounds the tables at 32 x 1024 x 32 bytes whatever the loss.
constexpr std::size_t rows_per_batch = 32;

// outputs[r] = sum_j weights[r * inputs.size() + j] * inputs[j], symbol_size bytes each.
void combine(std::span<const std::uint8_t> weights, std::span<const std::uint8_t* const> inputs,
             std::span<std::uint8_t* const> outputs, std::uint32_t symbol_size) {
    const std::size_t n = inputs.size();
    std::vector<unsigned char> tables;
    for (std::size_t first = 0; first < outputs.size(); first += rows_per_batch) {
        const std::size_t rows = std::min(rows_per_batch, outputs.size() - first);
        tables.resize(32 * n * rows);
        ec_init_tables(static_cast<int>(n), static_cast<int>(rows),
                       const_cast<unsigned char*>(&weights[first * n]), tables.data());
        ec_encode_data(static_cast<int>(symbol_size), static_cast<int>(n), static_cast<int>(rows),
                       tables.data(), const_cast<unsigned char**>(inputs.data()),
                       const_cast<unsigned char**>(&outputs[first]));
    }
}

// Row operations of the decoder's elimination, dest += factor * src over `length` bytes
// (a multiple of 64, as ISA-L's vector routines want).
void add_multiple(std::uint8_t factor, const std::uint8_t* src, std::uint8_t* dest,
                  std::size_t length) {
    unsigned char table[32];
    gf_vect_mul_init(factor, table);
    gf_vect_mad(static_cast<int>(length), 1, 0, table, const_cast<unsigned char*>(src), dest);
}

}  // namespace

BlockLayout::BlockLayout(std::uint32_t chunk_size, std::uint32_t symbol_size)
    : chunk_size_(chunk_size), symbol_size_(symbol_size) {
    if (symbol_size == 0) throw std::invalid_argument("symbol size 0");
    symbols_ =
        static_cast<std::uint32_t>((std::uint64_t{chunk_size} + symbol_size - 1) / symbol_size);
    const std::uint32_t blocks = (symbols_ + max_block_symbols - 1) / max_block_symbols;
    if (blocks > 0xFFFF) throw std::invalid_argument("chunk has more than 65535 blocks");
    std::uint32_t first = 0;
    for (std::uint32_t b = 0; b < blocks; ++b) {
        const std::uint32_t k = symbols_ / blocks + (b < symbols_ % blocks ? 1 : 0);
        blocks_.push_back({first, static_cast<std::uint16_t>(k)});
        first += k;
    }
}

std::uint32_t BlockLayout::source_bytes(std::uint32_t symbol) const {
    const std::uint64_t start = std::uint64_t{symbol} * symbol_size_;
    if (start >= chunk_size_) return 0;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(symbol_size_, chunk_size_ - start));
}

std::uint8_t parity_coefficient(unsigned symbol, unsigned column) {
    if (symbol < 255) return gf_inv(static_cast<unsigned char>(symbol ^ column));
    // MurmurHash3's 32-bit finalizer of symbol * 65536 + column.
    std::uint32_t x = (std::uint32_t{symbol} << 16) | column;
    x ^= x >> 16;
    x *= 0x85EBCA6Bu;
    x ^= x >> 13;
    x *= 0xC2B2AE35u;
    x ^= x >> 16;
    return static_cast<std::uint8_t>(1 + x % 255);
}

void encode_parity(std::span<const std::uint8_t* const> source, std::uint32_t symbol_size,
                   unsigned first_row, std::span<std::uint8_t* const> parity) {
    const unsigned k = static_cast<unsigned>(source.size());
    if (k == 0 || k > max_block_symbols || k + first_row + parity.size() > symbol_index_limit)
        throw std::invalid_argument("parity rows out of range");
    std::vector<std::uint8_t> weights(parity.size() * k);
    for (std::size_t r = 0; r < parity.size(); ++r)
        for (unsigned j = 0; j < k; ++j)
            weights[r * k + j] = parity_coefficient(static_cast<unsigned>(k + first_row + r), j);
    combine(weights, source, parity, symbol_size);
}

DecodeResult decode_block(std::span<const std::uint16_t> indices,
                          std::span<const std::uint8_t* const> received, std::uint32_t symbol_size,
                          std::span<std::uint8_t* const> source) {
    const unsigned k = static_cast<unsigned>(source.size());
    const auto invalid = [](std::string why) {
        return DecodeResult{DecodeStatus::invalid, std::move(why)};
    };
    if (k == 0 || k > max_block_symbols)
        return invalid("block size " + std::to_string(k) + " out of range");
    if (received.size() != indices.size()) return invalid("indices and symbols differ in count");
    if (indices.size() < k)
        return invalid("need at least " + std::to_string(k) + " symbols, have " +
                       std::to_string(indices.size()));
    std::vector<bool> have_source(k, false);
    std::vector<std::uint16_t> sorted(indices.begin(), indices.end());
    std::sort(sorted.begin(), sorted.end());
    if (auto twice = std::adjacent_find(sorted.begin(), sorted.end()); twice != sorted.end())
        return invalid("symbol index " + std::to_string(*twice) + " given twice");

    // Received sources are copied. The m lost ones come from the parity symbols: parity s is
    // sum_j c(s, j) x_j, so with the known sources moved to the other side (p'_s) an m-column
    // system over the lost sources remains (m is the block's loss).
    std::vector<std::size_t> parity_at;  // positions in `indices`
    for (std::size_t i = 0; i < indices.size(); ++i) {
        if (indices[i] < k) {
            if (received[i] != source[indices[i]])  // the caller may keep them in place
                std::copy_n(received[i], symbol_size, source[indices[i]]);
            have_source[indices[i]] = true;
        } else {
            parity_at.push_back(i);
        }
    }
    std::vector<unsigned> missing, known;
    for (unsigned j = 0; j < k; ++j) (have_source[j] ? known : missing).push_back(j);
    const std::size_t m = missing.size(), p = parity_at.size();
    if (m == 0) return {};

    // Gauss-Jordan over [A | I], A the p x m weights of the lost sources in the received parity:
    // the first m rows end as [I | T], and lost source c = sum_a T[c][a] p'_a.
    const std::size_t width = (m + p + 63) / 64 * 64;
    std::vector<std::uint8_t> e(p * width, 0);
    for (std::size_t a = 0; a < p; ++a) {
        std::uint8_t* row = &e[a * width];
        for (std::size_t b = 0; b < m; ++b)
            row[b] = parity_coefficient(indices[parity_at[a]], missing[b]);
        row[m + a] = 1;
    }
    for (std::size_t c = 0; c < m; ++c) {
        std::size_t pivot = c;
        while (pivot < p && e[pivot * width + c] == 0) ++pivot;
        if (pivot == p) return {DecodeStatus::need_more, {}};
        std::uint8_t* row = &e[c * width];
        if (pivot != c) std::swap_ranges(row, row + width, &e[pivot * width]);
        const std::uint8_t scale = gf_inv(row[c]);
        for (std::size_t x = 0; x < width; ++x) row[x] = gf_mul(row[x], scale);
        for (std::size_t i = 0; i < p; ++i)
            if (i != c && e[i * width + c] != 0)
                add_multiple(e[i * width + c], row, &e[i * width], width);
    }

    // p'_a = p_a + sum_known c(s_a, j) x_j (addition is XOR): one combination over the known
    // sources and the parity symbol itself with weight 1.
    const std::size_t inputs = known.size() + p;
    std::vector<const std::uint8_t*> in;
    for (auto j : known) in.push_back(source[j]);
    for (auto a : parity_at) in.push_back(received[a]);
    std::vector<std::uint8_t> weights(p * inputs, 0);
    for (std::size_t a = 0; a < p; ++a) {
        for (std::size_t j = 0; j < known.size(); ++j)
            weights[a * inputs + j] = parity_coefficient(indices[parity_at[a]], known[j]);
        weights[a * inputs + known.size() + a] = 1;
    }
    std::vector<std::uint8_t> reduced(p * std::size_t{symbol_size});
    std::vector<std::uint8_t*> reduced_at;
    for (std::size_t a = 0; a < p; ++a) reduced_at.push_back(&reduced[a * symbol_size]);
    combine(weights, in, reduced_at, symbol_size);

    std::vector<std::uint8_t> solve(m * p);
    std::vector<std::uint8_t*> lost;
    for (std::size_t c = 0; c < m; ++c) {
        std::copy_n(&e[c * width + m], p, &solve[c * p]);
        lost.push_back(source[missing[c]]);
    }
    combine(solve, std::vector<const std::uint8_t*>(reduced_at.begin(), reduced_at.end()), lost,
            symbol_size);
    return {};
}

}  // namespace castline::multicast
