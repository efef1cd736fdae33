#pragma once
// The GPT header and entry array, checked field by field. Shared by the table reader and by
// relocate_gpt, which rewrites them.
#include <cstdint>
#include <span>
#include <string>

namespace castline::imager {

namespace gpt {
constexpr std::size_t signature = 0, revision = 8, header_size = 12, header_crc = 16, my_lba = 24,
                      alternate_lba = 32, first_usable = 40, last_usable = 48, disk_guid = 56,
                      entries_lba = 72, entry_count = 80, entry_size = 84, entries_crc = 88;
constexpr std::uint64_t max_array_bytes = 1
                                          << 20;  // 8192 entries of 128 bytes; spec minimum 16 KiB
}  // namespace gpt

struct GptHeader {
    std::uint32_t header_size = 0;
    std::uint64_t my_lba = 0, alternate_lba = 0, first_usable = 0, last_usable = 0;
    std::uint64_t entries_lba = 0;
    std::uint32_t entry_count = 0, entry_size = 0, entries_crc = 0;
    std::uint64_t array_bytes() const { return std::uint64_t{entry_count} * entry_size; }
    std::uint64_t array_sectors(std::uint32_t sector_size) const {
        return (array_bytes() + sector_size - 1) / sector_size;
    }
};

// Checks a header sector read at `lba` on a disk of `disk_sectors` sectors: signature, size,
// CRC, its own LBA, usable range, entry geometry and the entry array's place. Throws
// LayoutError("GPT header at LBA n: ...").
GptHeader parse_gpt_header(std::span<const std::uint8_t> sector, std::uint64_t lba,
                           std::uint64_t disk_sectors, std::uint32_t sector_size);

// Throws LayoutError("GPT header at LBA n: entry array CRC mismatch") when `array` (exactly
// array_bytes() long) does not match the header.
void check_gpt_entries(const GptHeader& header, std::span<const std::uint8_t> array);

// CRC32 (the zlib/IEEE one GPT uses) of the header with its CRC field taken as zero.
std::uint32_t gpt_header_crc(std::span<const std::uint8_t> sector, std::uint32_t header_size);
std::uint32_t crc32_of(std::span<const std::uint8_t> bytes);

}  // namespace castline::imager
