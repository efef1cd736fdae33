// FAT: the boot area (reserved sectors, every FAT copy, the FAT12/16 root directory) is always
// used; a data cluster is used when its entry in the first FAT is not zero (allocated, end of
// chain or marked bad).
#include "imager/used_blocks_fat.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "imager/used_blocks.hpp"

namespace castline::imager {
namespace {

bool power_of_two(std::uint32_t v) {
    return v != 0 && (v & (v - 1)) == 0;
}

std::string trimmed(const std::uint8_t* text, std::size_t n) {
    std::string s(reinterpret_cast<const char*>(text), n);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s == "NO NAME" ? "" : s;
}

std::string serial_text(std::uint32_t serial) {
    char text[10];
    std::snprintf(text, sizeof text, "%04X-%04X", serial >> 16, serial & 0xFFFF);
    return text;
}

}  // namespace

FatGeometry parse_fat_boot_sector(std::span<const std::uint8_t> s, std::uint64_t partition_bytes) {
    const auto fail = [](const std::string& what) { throw LayoutError("FAT: " + what); };
    if (s.size() < 512) fail("boot sector truncated");
    FatGeometry g;
    g.bytes_per_sector = le16(s, 11);
    g.sectors_per_cluster = s[13];
    g.reserved_sectors = le16(s, 14);
    g.fat_count = s[16];
    const std::uint32_t root_entries = le16(s, 17);
    g.total_sectors = le16(s, 19) ? le16(s, 19) : le32(s, 32);
    g.fat_sectors = le16(s, 22) ? le16(s, 22) : le32(s, 36);
    if (!power_of_two(g.bytes_per_sector) || g.bytes_per_sector < 512 || g.bytes_per_sector > 4096)
        fail("bytes per sector " + std::to_string(g.bytes_per_sector) + " invalid");
    if (!power_of_two(g.sectors_per_cluster)) fail("sectors per cluster invalid");
    if (g.reserved_sectors == 0) fail("no reserved sectors");
    if (g.fat_count == 0 || g.fat_count > 4) fail("FAT count " + std::to_string(g.fat_count));
    if (g.fat_sectors == 0) fail("FAT size is zero");
    g.root_dir_sectors = (root_entries * 32 + g.bytes_per_sector - 1) / g.bytes_per_sector;
    const std::uint64_t first_data = std::uint64_t{g.reserved_sectors} +
                                     std::uint64_t{g.fat_count} * g.fat_sectors +
                                     g.root_dir_sectors;
    if (first_data >= g.total_sectors) fail("metadata fills the whole volume");
    if (g.total_sectors > partition_bytes / g.bytes_per_sector)
        fail("volume of " + std::to_string(g.total_sectors) +
             " sectors is larger than the partition");
    g.first_data_sector = static_cast<std::uint32_t>(first_data);
    const std::uint64_t clusters = (g.total_sectors - first_data) / g.sectors_per_cluster;
    if (clusters > 0x0FFFFFF5) fail("too many clusters");
    g.cluster_count = static_cast<std::uint32_t>(clusters);
    g.bits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32;
    if (g.bits == 32 && (root_entries != 0 || le16(s, 22) != 0))
        fail("FAT32 cluster count with a FAT12/16 BPB");
    const std::uint64_t fat_bytes = std::uint64_t{g.fat_sectors} * g.bytes_per_sector;
    if (fat_bytes * 8 < (clusters + 2) * static_cast<std::uint64_t>(g.bits))
        fail("FAT of " + std::to_string(fat_bytes) + " bytes too small for " +
             std::to_string(clusters) + " clusters");
    const std::size_t ext = g.bits == 32 ? 66 : 38;  // extended BPB: signature, serial, label
    if (s[ext] == 0x29) {
        g.serial = serial_text(le32(s, ext + 1));
        g.label = trimmed(s.data() + ext + 5, 11);
    }
    if (g.bits == 32) {
        g.fsinfo_sector = le16(s, 48);
        if (g.fsinfo_sector == 0xFFFF || g.fsinfo_sector >= g.reserved_sectors) g.fsinfo_sector = 0;
    }
    return g;
}

std::uint32_t fat_entry(std::span<const std::uint8_t> fat, int bits, std::uint32_t n) {
    switch (bits) {
        case 12: {
            const std::size_t at = n + n / 2;
            const std::uint16_t v = le16(fat, at);
            return n & 1 ? v >> 4 : v & 0x0FFF;
        }
        case 16:
            return le16(fat, std::size_t{n} * 2);
        default:
            return le32(fat, std::size_t{n} * 4) & 0x0FFFFFFF;
    }
}

FileSystemUsage fat_used_blocks(const PartitionSource& source) {
    std::vector<std::uint8_t> boot(512);
    source.read(0, boot);
    const FatGeometry g = parse_fat_boot_sector(boot, source.length);
    FileSystemUsage usage;
    usage.kind = FileSystemKind::fat;
    usage.label = g.label;
    usage.uuid = g.serial;
    const std::uint64_t bps = g.bytes_per_sector;
    usage.used.push_back({0, std::uint64_t{g.first_data_sector} * bps});

    // The whole first FAT: at most 4 * 2^28 bytes on a full-size FAT32, usually a few MiB.
    const std::uint64_t fat_bytes =
        (std::uint64_t{g.cluster_count} + 2) * static_cast<std::uint64_t>(g.bits) / 8 + 2;
    std::vector<std::uint8_t> fat(
        std::min<std::uint64_t>(fat_bytes, std::uint64_t{g.fat_sectors} * bps));
    source.read(std::uint64_t{g.reserved_sectors} * bps, fat);

    std::uint32_t free_clusters = 0;
    const std::uint64_t data = std::uint64_t{g.first_data_sector} * bps;
    for (std::uint32_t c = 0; c < g.cluster_count; ++c) {
        if (fat_entry(fat, g.bits, c + 2) == 0) {
            ++free_clusters;
            continue;
        }
        const std::uint64_t at = data + std::uint64_t{c} * g.cluster_bytes();
        if (!usage.used.empty() && usage.used.back().offset + usage.used.back().length == at)
            usage.used.back().length += g.cluster_bytes();
        else
            usage.used.push_back({at, g.cluster_bytes()});
    }

    if (g.fsinfo_sector != 0) {
        std::vector<std::uint8_t> info(512);
        source.read(std::uint64_t{g.fsinfo_sector} * bps, info);
        const std::uint32_t recorded = le32(info, 488);
        // 0xFFFFFFFF (or anything beyond the cluster count) means "unknown": nothing to compare.
        if (le32(info, 0) == 0x41615252 && le32(info, 484) == 0x61417272 &&
            recorded <= g.cluster_count && recorded != free_clusters)
            throw LayoutError("FAT: FSInfo counts " + std::to_string(recorded) +
                              " free clusters, the FAT " + std::to_string(free_clusters));
    }
    return usage;
}

}  // namespace castline::imager
