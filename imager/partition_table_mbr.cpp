// MBR: four primary slots; an extended partition holds a chain of EBRs, each describing one
// logical partition and the next EBR (relative to the extended partition's start).
#include <cstdio>
#include <set>

#include "imager/partition_table.hpp"

namespace castline::imager {
namespace {

constexpr std::size_t entries_at = 446;
constexpr int max_logical = 256;  // Linux stops far below this; bounds a hostile chain

struct MbrEntry {
    std::uint8_t type = 0;
    std::uint64_t start = 0;  // sectors
    std::uint64_t sectors = 0;
    bool empty() const { return type == 0 || sectors == 0; }
    bool extended() const { return type == 0x05 || type == 0x0F || type == 0x85; }
};

MbrEntry entry(std::span<const std::uint8_t> sector, int slot) {
    const std::size_t at = entries_at + 16 * static_cast<std::size_t>(slot);
    return {sector[at + 4], le32(sector, at + 8), le32(sector, at + 12)};
}

std::string type_text(std::uint8_t type) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02x", type);
    return text;
}

std::string lba(std::uint64_t sector) {
    return "LBA " + std::to_string(sector);
}

}  // namespace

PartitionTable read_mbr(const ReadAt& read, std::span<const std::uint8_t> mbr,
                        std::uint64_t disk_size, std::uint32_t sector_size) {
    PartitionTable table;
    table.kind = TableKind::mbr;
    table.sector_size = sector_size;
    table.regions.push_back({0, sector_size});
    const std::uint64_t disk_sectors = disk_size / sector_size;

    const MbrEntry* extended = nullptr;
    MbrEntry slots[4];
    for (int slot = 0; slot < 4; ++slot) {
        slots[slot] = entry(mbr, slot);
        const auto& e = slots[slot];
        if (e.empty()) continue;
        if (e.extended()) {
            if (extended)
                throw LayoutError("MBR at LBA 0: more than one extended partition (slot " +
                                  std::to_string(slot + 1) + ")");
            extended = &slots[slot];
            continue;
        }
        table.partitions.push_back(
            {slot + 1, e.start * sector_size, e.sectors * sector_size, type_text(e.type), ""});
    }
    if (!extended) return table;

    const std::uint64_t ext_start = extended->start, ext_end = extended->start + extended->sectors;
    if (ext_start == 0 || ext_end > disk_sectors)
        throw LayoutError("MBR at LBA 0: extended partition " + lba(ext_start) + ".." +
                          lba(ext_end) + " is outside the disk of " + std::to_string(disk_sectors) +
                          " sectors");
    for (const auto& p : table.partitions) {
        const std::uint64_t s = p.offset / sector_size, n = p.length / sector_size;
        if (s < ext_end && ext_start < s + n)
            throw LayoutError("MBR at LBA 0: partition " + std::to_string(p.number) +
                              " overlaps the extended partition");
    }

    std::set<std::uint64_t> visited;
    std::vector<std::uint8_t> ebr(sector_size);
    std::uint64_t at = ext_start;
    int number = 5;
    while (true) {
        if (at < ext_start || at >= ext_end)
            throw LayoutError("EBR chain: link to " + lba(at) +
                              " points outside the extended partition");
        if (!visited.insert(at).second)
            throw LayoutError("EBR at " + lba(at) + ": chain loops back to itself");
        if (visited.size() > max_logical)
            throw LayoutError("EBR chain: more than " + std::to_string(max_logical) +
                              " logical partitions");
        read(at * sector_size, ebr);
        table.regions.push_back({at * sector_size, sector_size});
        if (ebr[510] != 0x55 || ebr[511] != 0xAA)
            throw LayoutError("EBR at " + lba(at) + ": missing 0x55AA signature");
        const MbrEntry logical = entry(ebr, 0), next = entry(ebr, 1);
        if (!logical.empty()) {
            if (logical.extended())
                throw LayoutError("EBR at " + lba(at) + ": logical partition of extended type");
            const std::uint64_t start = at + logical.start;
            if (start + logical.sectors > ext_end)
                throw LayoutError("EBR at " + lba(at) + ": partition " + std::to_string(number) +
                                  " ends past the extended partition");
            table.partitions.push_back({number++, start * sector_size,
                                        logical.sectors * sector_size, type_text(logical.type),
                                        ""});
        }
        if (next.empty()) break;
        if (!next.extended())
            throw LayoutError("EBR at " + lba(at) + ": second entry is not a link (type " +
                              type_text(next.type) + ")");
        at = ext_start + next.start;
    }
    return table;
}

}  // namespace castline::imager
