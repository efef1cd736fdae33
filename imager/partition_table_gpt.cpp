#include "imager/partition_table_gpt.hpp"

#include <zlib.h>

#include <cstring>
#include <vector>

#include "imager/partition_table.hpp"

namespace castline::imager {
namespace {

std::string at_lba(std::uint64_t lba) {
    return "GPT header at LBA " + std::to_string(lba) + ": ";
}

void utf8_append(std::string& out, std::uint32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | c >> 6);
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | c >> 12);
        out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | c >> 18);
        out += static_cast<char>(0x80 | (c >> 12 & 0x3F));
        out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// GPT names are UTF-16LE, NUL-terminated or filling all 36 units; broken surrogates become U+FFFD.
std::string partition_name(std::span<const std::uint8_t> utf16) {
    std::string out;
    for (std::size_t i = 0; i + 1 < utf16.size(); i += 2) {
        std::uint32_t c = le16(utf16, i);
        if (c == 0) break;
        if (c >= 0xD800 && c < 0xDC00 && i + 3 < utf16.size()) {
            const std::uint32_t low = le16(utf16, i + 2);
            if (low >= 0xDC00 && low < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c < 0xE000) {
            c = 0xFFFD;
        }
        utf8_append(out, c);
    }
    return out;
}

bool all_zero(std::span<const std::uint8_t> bytes) {
    for (auto b : bytes)
        if (b) return false;
    return true;
}

}  // namespace

std::uint32_t crc32_of(std::span<const std::uint8_t> bytes) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths; arrays here are bounded far below that.
    crc = crc32(crc, bytes.data(), static_cast<uInt>(bytes.size()));
    return static_cast<std::uint32_t>(crc);
}

std::uint32_t gpt_header_crc(std::span<const std::uint8_t> sector, std::uint32_t header_size) {
    std::vector<std::uint8_t> copy(sector.begin(), sector.begin() + header_size);
    std::memset(copy.data() + gpt::header_crc, 0, 4);
    return crc32_of(copy);
}

GptHeader parse_gpt_header(std::span<const std::uint8_t> s, std::uint64_t lba,
                           std::uint64_t disk_sectors, std::uint32_t sector_size) {
    const auto fail = [lba](const std::string& what) { throw LayoutError(at_lba(lba) + what); };
    if (s.size() < 512 || std::memcmp(s.data(), "EFI PART", 8) != 0)
        fail("no \"EFI PART\" signature");
    GptHeader h;
    h.header_size = le32(s, gpt::header_size);
    if (h.header_size < 92 || h.header_size > s.size())
        fail("header size " + std::to_string(h.header_size) + " out of range");
    if (le32(s, gpt::header_crc) != gpt_header_crc(s, h.header_size)) fail("header CRC mismatch");
    h.my_lba = le64(s, gpt::my_lba);
    h.alternate_lba = le64(s, gpt::alternate_lba);
    h.first_usable = le64(s, gpt::first_usable);
    h.last_usable = le64(s, gpt::last_usable);
    h.entries_lba = le64(s, gpt::entries_lba);
    h.entry_count = le32(s, gpt::entry_count);
    h.entry_size = le32(s, gpt::entry_size);
    h.entries_crc = le32(s, gpt::entries_crc);
    if (h.my_lba != lba) fail("records its own LBA as " + std::to_string(h.my_lba));
    if (h.first_usable > h.last_usable || h.last_usable >= disk_sectors)
        fail("usable range " + std::to_string(h.first_usable) + ".." +
             std::to_string(h.last_usable) + " does not fit the disk of " +
             std::to_string(disk_sectors) + " sectors");
    if (h.entry_size < 128 || h.entry_size > 4096 || (h.entry_size & (h.entry_size - 1)) != 0)
        fail("entry size " + std::to_string(h.entry_size) + " out of range");
    if (h.entry_count == 0 || h.array_bytes() > gpt::max_array_bytes)
        fail("entry count " + std::to_string(h.entry_count) + " out of range");
    const std::uint64_t array_sectors = h.array_sectors(sector_size);
    const bool primary = lba < h.first_usable;
    const bool array_fits = primary ? h.entries_lba > lba && array_sectors <= h.first_usable &&
                                          h.entries_lba <= h.first_usable - array_sectors
                                    : h.entries_lba > h.last_usable && array_sectors <= lba &&
                                          h.entries_lba <= lba - array_sectors;
    if (!array_fits || lba >= disk_sectors)
        fail("entry array at LBA " + std::to_string(h.entries_lba) + " (" +
             std::to_string(array_sectors) + " sectors) is out of place");
    return h;
}

void check_gpt_entries(const GptHeader& header, std::span<const std::uint8_t> array) {
    if (crc32_of(array) != header.entries_crc)
        throw LayoutError(at_lba(header.my_lba) + "entry array CRC mismatch");
}

PartitionTable read_gpt(const ReadAt& read, std::uint64_t disk_size, std::uint32_t sector_size) {
    PartitionTable table;
    table.kind = TableKind::gpt;
    table.sector_size = sector_size;
    const std::uint64_t disk_sectors = disk_size / sector_size;
    if (disk_sectors < 3)
        throw LayoutError("GPT: disk of " + std::to_string(disk_size) +
                          " bytes is too small for a GPT");
    std::vector<std::uint8_t> sector(sector_size);
    read(sector_size, sector);
    const GptHeader h = parse_gpt_header(sector, 1, disk_sectors, sector_size);
    std::vector<std::uint8_t> array(h.array_bytes());
    read(h.entries_lba * sector_size, array);
    check_gpt_entries(h, array);
    table.regions.push_back({0, sector_size});
    table.regions.push_back({sector_size, sector_size});
    table.regions.push_back(
        {h.entries_lba * sector_size, h.array_sectors(sector_size) * sector_size});

    for (std::uint32_t i = 0; i < h.entry_count; ++i) {
        const auto e = std::span<const std::uint8_t>(array).subspan(std::size_t{i} * h.entry_size,
                                                                    h.entry_size);
        if (all_zero(e.first(16))) continue;
        const int number = static_cast<int>(i) + 1;
        const std::uint64_t first = le64(e, 32), last = le64(e, 40);
        if (first > last || first < h.first_usable || last > h.last_usable)
            throw LayoutError(at_lba(1) + "partition " + std::to_string(number) + " (LBA " +
                              std::to_string(first) + ".." + std::to_string(last) +
                              ") lies outside the usable range " + std::to_string(h.first_usable) +
                              ".." + std::to_string(h.last_usable));
        table.partitions.push_back({number, first * sector_size, (last - first + 1) * sector_size,
                                    guid_text(e.first(16)), partition_name(e.subspan(56, 72))});
    }

    // The backup is only recorded: restore rebuilds it from the primary (relocate_gpt).
    if (h.alternate_lba >= disk_sectors || h.alternate_lba <= h.last_usable) {
        table.warnings.push_back("GPT: backup header LBA " + std::to_string(h.alternate_lba) +
                                 " is not at the disk end; backup not stored");
        return table;
    }
    try {
        read(h.alternate_lba * sector_size, sector);
        const GptHeader b = parse_gpt_header(sector, h.alternate_lba, disk_sectors, sector_size);
        if (b.array_bytes() != h.array_bytes() || b.entries_crc != h.entries_crc)
            throw LayoutError(at_lba(h.alternate_lba) + "entry array differs from the primary");
        std::vector<std::uint8_t> backup(b.array_bytes());
        read(b.entries_lba * sector_size, backup);
        check_gpt_entries(b, backup);
        table.regions.push_back(
            {b.entries_lba * sector_size, b.array_sectors(sector_size) * sector_size});
    } catch (const LayoutError& e) {
        table.warnings.push_back(std::string(e.what()) + "; backup GPT will be rebuilt on restore");
    }
    table.regions.push_back({h.alternate_lba * sector_size, sector_size});
    return table;
}

}  // namespace castline::imager
