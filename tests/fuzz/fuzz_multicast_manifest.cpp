// Any bytes as a file manifest (it arrives in the sender's welcome): decoded or refused with a
// reason, and a decoded manifest is self-consistent.
#include <cstdint>
#include <span>

#include "multicast/file_chunks.hpp"

using namespace castline::multicast;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto decoded = decode_file_manifest(std::span<const std::uint8_t>(data, size));
    if (const auto* e = std::get_if<std::string>(&decoded)) {
        if (e->empty()) __builtin_trap();
        return 0;
    }
    const auto& m = std::get<FileManifest>(decoded);
    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < m.chunk_count(); ++i) {
        const auto s = m.size_of(i);
        if (s == 0 || s > m.chunk_size) __builtin_trap();
        total += s;
    }
    if (total != m.file_size) __builtin_trap();
    return 0;
}
