#include "imager/gpt_relocate.hpp"

#include <limits>

#include "imager/partition_table.hpp"
#include "imager/partition_table_gpt.hpp"

namespace castline::imager {

GptRelocation relocate_gpt(std::span<const std::uint8_t> mbr, std::span<const std::uint8_t> primary,
                           std::span<const std::uint8_t> entries, std::uint64_t disk_bytes,
                           std::uint32_t sector_size) {
    if (mbr.size() != sector_size || primary.size() != sector_size)
        throw LayoutError("GPT relocation: sectors must be " + std::to_string(sector_size) +
                          " bytes");
    // The header is checked for itself, not against a disk size: the disk is the one changing.
    const GptHeader h =
        parse_gpt_header(primary, 1, std::numeric_limits<std::uint64_t>::max(), sector_size);
    if (entries.size() != h.array_bytes())
        throw LayoutError("GPT relocation: entry array is " + std::to_string(entries.size()) +
                          " bytes, the header says " + std::to_string(h.array_bytes()));
    check_gpt_entries(h, entries);

    const std::uint64_t sectors = disk_bytes / sector_size;
    const std::uint64_t array_sectors = h.array_sectors(sector_size);
    if (sectors < h.first_usable + array_sectors + 2)
        throw LayoutError("GPT relocation: disk of " + std::to_string(sectors) +
                          " sectors is too small for a GPT");
    GptRelocation r;
    r.backup_header_lba = sectors - 1;
    r.backup_entries_lba = r.backup_header_lba - array_sectors;
    r.last_usable_lba = r.backup_entries_lba - 1;
    for (std::uint32_t i = 0; i < h.entry_count; ++i) {
        const auto e = entries.subspan(std::size_t{i} * h.entry_size, h.entry_size);
        const std::uint64_t last = le64(e, 40);
        bool used = false;
        for (std::size_t b = 0; b < 16; ++b) used = used || e[b] != 0;
        if (used && last > r.last_usable_lba)
            throw LayoutError("GPT relocation: partition " + std::to_string(i + 1) +
                              " ends at LBA " + std::to_string(last) +
                              ", past the last usable LBA " + std::to_string(r.last_usable_lba) +
                              " of a disk of " + std::to_string(sectors) + " sectors");
    }

    r.primary_header.assign(primary.begin(), primary.end());
    put_le64(r.primary_header, gpt::alternate_lba, r.backup_header_lba);
    put_le64(r.primary_header, gpt::last_usable, r.last_usable_lba);
    put_le32(r.primary_header, gpt::header_crc, gpt_header_crc(r.primary_header, h.header_size));

    r.backup_header = r.primary_header;
    put_le64(r.backup_header, gpt::my_lba, r.backup_header_lba);
    put_le64(r.backup_header, gpt::alternate_lba, 1);
    put_le64(r.backup_header, gpt::entries_lba, r.backup_entries_lba);
    put_le32(r.backup_header, gpt::header_crc, gpt_header_crc(r.backup_header, h.header_size));

    // The protective entry spans the disk (capped at 2^32-1 sectors); a hybrid MBR's smaller
    // 0xEE entry is left as its author made it.
    r.protective_mbr.assign(mbr.begin(), mbr.end());
    for (std::size_t at = 446; at < 510; at += 16) {
        if (mbr[at + 4] != 0xEE || le32(mbr, at + 8) != 1) continue;
        const std::uint64_t size = le32(mbr, at + 12);
        if (size == 0xFFFFFFFF || size == std::min<std::uint64_t>(h.alternate_lba, 0xFFFFFFFF))
            put_le32(r.protective_mbr, at + 12,
                     static_cast<std::uint32_t>(std::min<std::uint64_t>(sectors - 1, 0xFFFFFFFF)));
    }
    if (h.alternate_lba < r.backup_entries_lba && h.alternate_lba > h.last_usable)
        r.stale_backup_lba = h.alternate_lba;
    return r;
}

}  // namespace castline::imager
