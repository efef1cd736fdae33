#pragma once
// FAT12/16/32 geometry from the boot sector's BPB, checked against the partition it sits in.
#include <cstdint>
#include <span>
#include <string>

namespace castline::imager {

struct FatGeometry {
    int bits = 0;  // 12, 16 or 32 (from the cluster count, as Microsoft says)
    std::uint32_t bytes_per_sector = 0;
    std::uint32_t sectors_per_cluster = 0;
    std::uint32_t reserved_sectors = 0;
    std::uint32_t fat_count = 0;
    std::uint32_t fat_sectors = 0;       // per FAT
    std::uint32_t root_dir_sectors = 0;  // FAT12/16 fixed root directory
    std::uint64_t total_sectors = 0;
    std::uint32_t first_data_sector = 0;
    std::uint32_t cluster_count = 0;  // data clusters, numbered from 2
    std::uint32_t fsinfo_sector = 0;  // FAT32 only, 0 if none
    std::string label, serial;
    std::uint64_t cluster_bytes() const {
        return std::uint64_t{bytes_per_sector} * sectors_per_cluster;
    }
};

// Throws LayoutError("FAT: ...") when the BPB is inconsistent or does not fit `partition_bytes`.
FatGeometry parse_fat_boot_sector(std::span<const std::uint8_t> sector,
                                  std::uint64_t partition_bytes);

// Value of FAT entry `cluster` in a FAT of `bits` held in `fat` (the whole first FAT).
std::uint32_t fat_entry(std::span<const std::uint8_t> fat, int bits, std::uint32_t cluster);

}  // namespace castline::imager
