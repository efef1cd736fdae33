#pragma once
// Shared helpers for the imager unit tests: deterministic data and a temporary directory.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace castline::imager::testing {

inline std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint32_t seed) {
    std::mt19937_64 random(seed);
    std::vector<std::uint8_t> out(n);
    for (auto& b : out) b = static_cast<std::uint8_t>(random());
    return out;
}

// Real, compressible data: this repository's own sources, repeated to `n` bytes.
inline std::vector<std::uint8_t> text_bytes(std::size_t n) {
    std::vector<std::uint8_t> out;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(CASTLINE_SOURCE_DIR "/imager")) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        out.insert(out.end(), std::istreambuf_iterator<char>(in), {});
    }
    const auto base = out.size();
    while (out.size() < n) out.push_back(out[out.size() % base]);
    out.resize(n);
    return out;
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char pattern[] = "/tmp/castline-imager-test.XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

inline void write_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
}

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace castline::imager::testing
