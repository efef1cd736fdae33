#include <cstring>

#include "imager/used_blocks.hpp"

namespace castline::imager {

FileSystemKind detect_file_system(std::span<const std::uint8_t> h) {
    const auto has = [&](std::size_t at, const char* text) {
        const std::size_t n = std::strlen(text);
        return h.size() >= at + n && std::memcmp(h.data() + at, text, n) == 0;
    };
    if (h.size() >= 2048 && le16(h, 1024 + 56) == 0xEF53) return FileSystemKind::ext;
    if (has(3, "NTFS    ")) return FileSystemKind::ntfs;
    if (h.size() >= 512 && h[510] == 0x55 && h[511] == 0xAA && (h[0] == 0xEB || h[0] == 0xE9) &&
        (has(54, "FAT12") || has(54, "FAT16") || has(54, "FAT     ") || has(82, "FAT32")))
        return FileSystemKind::fat;
    for (const std::size_t page : swap_page_sizes)
        if (has(page - 10, "SWAPSPACE2") || has(page - 10, "SWAP-SPACE"))
            return FileSystemKind::swap;
    return FileSystemKind::unknown;
}

}  // namespace castline::imager
