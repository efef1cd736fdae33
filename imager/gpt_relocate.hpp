#pragma once
// After restoring a GPT disk onto a larger (or smaller, if everything still fits) target, the
// backup header and entry array must move to the target's last sectors, and the primary header
// must point at them and widen its usable range. Partitions keep their place and size.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

namespace castline::imager {

struct GptRelocation {
    std::vector<std::uint8_t> protective_mbr;  // LBA 0, the 0xEE entry resized to the disk
    std::vector<std::uint8_t> primary_header;  // LBA 1
    std::vector<std::uint8_t> backup_header;   // at backup_header_lba
    std::uint64_t backup_header_lba = 0;
    std::uint64_t backup_entries_lba = 0;  // the entry array, unchanged, goes here
    std::uint64_t last_usable_lba = 0;
    // The old backup header's sector when it now lies inside the usable range: zeroed, so that
    // no tool mistakes it for a live header later.
    std::optional<std::uint64_t> stale_backup_lba;
};

// Pure: from the current LBA 0, LBA 1 and entry array, computes what to write on a disk of
// `disk_bytes`. Throws LayoutError when the inputs are not a valid GPT or a partition would end
// past the new last usable LBA.
GptRelocation relocate_gpt(std::span<const std::uint8_t> protective_mbr,
                           std::span<const std::uint8_t> primary_header,
                           std::span<const std::uint8_t> entries, std::uint64_t disk_bytes,
                           std::uint32_t sector_size);

// Does the same on a disk file or device in place; the backup goes first, the primary last.
void relocate_gpt_file(const std::filesystem::path& disk, std::uint32_t sector_size = 512);

}  // namespace castline::imager
