#include <cstdio>
#include <cstring>

#include "imager/used_blocks.hpp"

namespace castline::imager {

FileSystemUsage swap_used_blocks(std::span<const std::uint8_t> h) {
    FileSystemUsage usage;
    usage.kind = FileSystemKind::swap;
    for (const std::size_t page : swap_page_sizes) {
        if (h.size() < page) break;
        if (std::memcmp(h.data() + page - 10, "SWAPSPACE2", 10) != 0 &&
            std::memcmp(h.data() + page - 10, "SWAP-SPACE", 10) != 0)
            continue;
        // Header after 1024 bytes of boot bits: version, last_page, nr_badpages, uuid, label.
        const auto* u = h.data() + 1036;
        char text[37];
        std::snprintf(text, sizeof text,
                      "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
                      u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
                      u[13], u[14], u[15]);
        usage.uuid = text;
        const auto* label = reinterpret_cast<const char*>(h.data() + 1052);
        usage.label.assign(label, strnlen(label, 16));
        usage.used.push_back({0, page});
        return usage;
    }
    throw LayoutError("swap: no swap signature");
}

}  // namespace castline::imager
