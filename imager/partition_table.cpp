#include "imager/partition_table.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "imager/used_blocks.hpp"

namespace castline::imager {

std::uint16_t le16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}
std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
           static_cast<std::uint32_t>(b[at + 2]) << 16 |
           static_cast<std::uint32_t>(b[at + 3]) << 24;
}
std::uint64_t le64(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint64_t>(le32(b, at)) | static_cast<std::uint64_t>(le32(b, at + 4))
                                                         << 32;
}
void put_le32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put_le64(std::span<std::uint8_t> b, std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::string guid_text(std::span<const std::uint8_t> g) {
    char text[37];
    std::snprintf(text, sizeof text, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", le32(g, 0),
                  le16(g, 4), le16(g, 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
    return text;
}

namespace {

std::string where(const TableEntry& p) {
    return "partition " + std::to_string(p.number);
}

// Sector 0 of a disk that is one NTFS or FAT file system without a partition table (a
// "superfloppy", or a file system image) ends in 0x55AA like an MBR. It is that when it starts
// with a jump, names its file system where a boot sector does (detect_file_system) and no slot
// holds a partition entry (each slot's first byte, the boot flag, is 0x00 or 0x80 in an MBR; in a
// boot sector it is code or zero).
bool is_file_system_boot_sector(std::span<const std::uint8_t> sector) {
    const bool jump = sector[0] == 0xEB || sector[0] == 0xE9;
    const auto kind = detect_file_system(sector);
    if (!jump || (kind != FileSystemKind::ntfs && kind != FileSystemKind::fat)) return false;
    for (int slot = 0; slot < 4; ++slot) {
        const auto entry = sector.subspan(446 + 16 * slot, 16);
        const bool empty = std::all_of(entry.begin(), entry.end(), [](auto b) { return b == 0; });
        if (!empty && (entry[0] == 0x00 || entry[0] == 0x80) && entry[4] != 0) return false;
    }
    return true;
}

}  // namespace

void check_partitions(const PartitionTable& table, std::uint64_t disk_size) {
    std::vector<const TableEntry*> order;
    for (const auto& p : table.partitions) {
        if (p.length == 0) throw LayoutError(where(p) + ": length is zero");
        if (p.offset > disk_size || p.length > disk_size - p.offset)
            throw LayoutError(where(p) + ": ends at byte " + std::to_string(p.offset + p.length) +
                              ", past the disk end at " + std::to_string(disk_size));
        for (const auto& r : table.regions)
            if (r.offset < p.offset + p.length && p.offset < r.offset + r.length)
                throw LayoutError(where(p) + ": overlaps the partition table at byte " +
                                  std::to_string(r.offset));
        order.push_back(&p);
    }
    std::sort(order.begin(), order.end(),
              [](const TableEntry* a, const TableEntry* b) { return a->offset < b->offset; });
    for (std::size_t i = 1; i < order.size(); ++i)
        if (order[i]->offset < order[i - 1]->offset + order[i - 1]->length)
            throw LayoutError(where(*order[i]) + ": overlaps " + where(*order[i - 1]) +
                              " at byte " + std::to_string(order[i]->offset));
}

PartitionTable read_partition_table(const ReadAt& read, std::uint64_t disk_size,
                                    std::uint32_t sector_size) {
    if (sector_size < 512 || sector_size > 65536 || (sector_size & (sector_size - 1)) != 0)
        throw LayoutError("disk: unsupported logical sector size " + std::to_string(sector_size));
    PartitionTable table;
    table.sector_size = sector_size;
    if (disk_size < sector_size) return table;
    std::vector<std::uint8_t> mbr(sector_size);
    read(0, mbr);
    if (mbr[510] != 0x55 || mbr[511] != 0xAA) return table;
    if (is_file_system_boot_sector(mbr)) return table;

    bool protective = false;
    for (int slot = 0; slot < 4; ++slot)
        if (mbr[446 + 16 * slot + 4] == 0xEE) protective = true;
    if (protective) {
        // A 4Kn disk seen through a 512-byte interface (an image file) keeps its header at 4096.
        if (sector_size == 512 && disk_size >= 8192) {
            std::array<std::uint8_t, 8> sig512{}, sig4k{};
            read(512, sig512);
            read(4096, sig4k);
            const std::array<std::uint8_t, 8> efi{'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T'};
            if (sig512 != efi && sig4k == efi) sector_size = 4096;
        }
        table = read_gpt(read, disk_size, sector_size);
    } else {
        table = read_mbr(read, mbr, disk_size, sector_size);
    }
    std::sort(table.regions.begin(), table.regions.end(),
              [](const Extent& a, const Extent& b) { return a.offset < b.offset; });
    std::sort(table.partitions.begin(), table.partitions.end(),
              [](const TableEntry& a, const TableEntry& b) { return a.number < b.number; });
    check_partitions(table, disk_size);
    return table;
}

}  // namespace castline::imager
