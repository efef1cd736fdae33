#include "multicast/fec.hpp"

#include <isa-l/erasure_code.h>

#include <algorithm>
#include <stdexcept>

namespace castline::multicast {
namespace {

// Rows 0..k-1 are the identity, rows k..254 Cauchy: every k x k submatrix is invertible.
std::vector<unsigned char> coding_matrix(unsigned k) {
    std::vector<unsigned char> m(symbols_per_block_limit * k);
    gf_gen_cauchy1_matrix(m.data(), static_cast<int>(symbols_per_block_limit), static_cast<int>(k));
    return m;
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
    const auto matrix = coding_matrix(k);
    std::vector<unsigned char> tables(32 * k * parity.size());
    ec_init_tables(static_cast<int>(k), static_cast<int>(parity.size()),
                   const_cast<unsigned char*>(&matrix[(k + first_row) * k]), tables.data());
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
    // Source symbols that arrived are copied; only the missing ones need the inverse matrix.
    std::vector<unsigned> missing;
    for (unsigned s = 0; s < k; ++s) {
        if (!seen[s]) missing.push_back(s);
    }
    for (unsigned j = 0; j < k; ++j) {
        if (indices[j] < k) std::copy_n(received[j], symbol_size, source[indices[j]]);
    }
    if (missing.empty()) return {};
    const auto matrix = coding_matrix(k);
    std::vector<unsigned char> sub(k * k), inverse(k * k);
    for (unsigned j = 0; j < k; ++j) std::copy_n(&matrix[indices[j] * k], k, &sub[j * k]);
    if (gf_invert_matrix(sub.data(), inverse.data(), static_cast<int>(k)) != 0)
        return "singular decoding matrix";
    std::vector<unsigned char> rows(missing.size() * k);
    std::vector<unsigned char*> outputs;
    for (std::size_t m = 0; m < missing.size(); ++m) {
        std::copy_n(&inverse[missing[m] * k], k, &rows[m * k]);
        outputs.push_back(source[missing[m]]);
    }
    std::vector<unsigned char> tables(32 * k * missing.size());
    ec_init_tables(static_cast<int>(k), static_cast<int>(missing.size()), rows.data(),
                   tables.data());
    ec_encode_data(static_cast<int>(symbol_size), static_cast<int>(k),
                   static_cast<int>(missing.size()), tables.data(),
                   const_cast<unsigned char**>(received.data()), outputs.data());
    return {};
}

}  // namespace castline::multicast
