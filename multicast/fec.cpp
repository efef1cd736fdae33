#include "multicast/fec.hpp"

#include <isa-l/erasure_code.h>

#include <algorithm>
#include <stdexcept>

namespace castline::multicast {
namespace {

// The coding matrix is the identity over rows 0..k-1 and Cauchy below (gf_gen_cauchy1_matrix):
// row s >= k, column j holds 1 / (s ^ j). Entries are computed where needed instead of building
// the whole 255 x k matrix per block.
unsigned char cauchy(unsigned row, unsigned column) {
    return gf_inv(static_cast<unsigned char>(row ^ column));
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

void encode_parity(std::span<const std::uint8_t* const> source, std::uint32_t symbol_size,
                   unsigned first_row, std::span<std::uint8_t* const> parity) {
    const unsigned k = static_cast<unsigned>(source.size());
    if (k == 0 || k > max_block_symbols || first_row + parity.size() + k > symbols_per_block_limit)
        throw std::invalid_argument("parity rows out of range");
    if (parity.empty()) return;
    std::vector<unsigned char> rows(parity.size() * k);
    for (std::size_t r = 0; r < parity.size(); ++r)
        for (unsigned j = 0; j < k; ++j)
            rows[r * k + j] = cauchy(static_cast<unsigned>(k + first_row + r), j);
    std::vector<unsigned char> tables(32 * k * parity.size());
    ec_init_tables(static_cast<int>(k), static_cast<int>(parity.size()), rows.data(),
                   tables.data());
    ec_encode_data(static_cast<int>(symbol_size), static_cast<int>(k),
                   static_cast<int>(parity.size()), tables.data(),
                   const_cast<unsigned char**>(source.data()),
                   const_cast<unsigned char**>(parity.data()));
}

std::string decode_block(std::span<const std::uint8_t> indices,
                         std::span<const std::uint8_t* const> received, std::uint32_t symbol_size,
                         std::span<std::uint8_t* const> source) {
    const unsigned k = static_cast<unsigned>(source.size());
    if (k == 0 || k > max_block_symbols) return "block size " + std::to_string(k) + " out of range";
    if (indices.size() != k || received.size() != k)
        return "need exactly " + std::to_string(k) + " symbols, have " +
               std::to_string(indices.size());
    std::vector<bool> seen(symbols_per_block_limit, false);
    for (auto i : indices) {
        if (i >= symbols_per_block_limit)
            return "symbol index " + std::to_string(i) + " out of range";
        if (seen[i]) return "symbol index " + std::to_string(i) + " given twice";
        seen[i] = true;
    }
    // Source symbols that arrived are copied. The m missing ones come from the m parity
    // symbols that arrived: parity row s is sum_j C[s][j] x_j, so with the known sources moved
    // to the other side only an m x m Cauchy system remains (m is the loss in the block, usually
    // 1 or 2; inverting the whole k x k matrix cost milliseconds per block at 1 % loss).
    std::vector<unsigned> missing, parity_at, known_at;  // positions in `indices` for the last two
    for (unsigned s = 0; s < k; ++s) {
        if (!seen[s]) missing.push_back(s);
    }
    for (unsigned j = 0; j < k; ++j) {
        if (indices[j] < k) {
            std::copy_n(received[j], symbol_size, source[indices[j]]);
            known_at.push_back(j);
        } else {
            parity_at.push_back(j);
        }
    }
    const std::size_t m = missing.size();
    if (m == 0) return {};
    std::vector<unsigned char> system(m * m), inverse(m * m);
    for (std::size_t a = 0; a < m; ++a)
        for (std::size_t b = 0; b < m; ++b)
            system[a * m + b] = cauchy(indices[parity_at[a]], missing[b]);
    if (gf_invert_matrix(system.data(), inverse.data(), static_cast<int>(m)) != 0)
        return "singular decoding matrix";
    // Missing source i = sum_a inverse[i][a] * (parity_a + sum_known C[parity_a][known] x_known),
    // as one row of coefficients over the k received symbols in their given order.
    std::vector<unsigned char> rows(m * k, 0);
    std::vector<unsigned char*> outputs;
    for (std::size_t i = 0; i < m; ++i) {
        unsigned char* row = &rows[i * k];
        for (std::size_t a = 0; a < m; ++a) {
            const unsigned char weight = inverse[i * m + a];
            row[parity_at[a]] = weight;
            for (auto j : known_at)
                row[j] ^= gf_mul(weight, cauchy(indices[parity_at[a]], indices[j]));
        }
        outputs.push_back(source[missing[i]]);
    }
    std::vector<unsigned char> tables(32 * k * m);
    ec_init_tables(static_cast<int>(k), static_cast<int>(m), rows.data(), tables.data());
    ec_encode_data(static_cast<int>(symbol_size), static_cast<int>(k), static_cast<int>(m),
                   tables.data(), const_cast<unsigned char**>(received.data()), outputs.data());
    return {};
}

}  // namespace castline::multicast
