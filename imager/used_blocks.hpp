#pragma once
// Used-block maps, one reader per file system. Each reader returns the byte ranges of one
// partition that hold data (relative to the partition start), plus the label and UUID, and
// throws LayoutError when the file system is damaged or its free count disagrees with its
// allocation bitmap: then the map cannot be trusted and the caller stores the partition whole.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "imager/disk_layout.hpp"
#include "imager/partition_table.hpp"

namespace castline::imager {

struct PartitionSource {
    std::string disk;          // path of the disk file or device (libext2fs opens it itself)
    std::uint64_t offset = 0;  // partition start, bytes
    std::uint64_t length = 0;  // partition length, bytes
    ReadAt read;               // reads partition-relative bytes; callers keep within `length`
};

struct FileSystemUsage {
    FileSystemKind kind = FileSystemKind::unknown;
    std::string label;
    std::string uuid;
    std::vector<Extent> used;  // partition-relative
};

// Recognises a file system from the first bytes of a partition (64 KiB is enough for all kinds
// here; fewer bytes just means fewer kinds can match).
FileSystemKind detect_file_system(std::span<const std::uint8_t> head);

FileSystemUsage ext_used_blocks(const PartitionSource& source);
// Every ext file system's first data block is 1 with 1 KiB blocks and no bigalloc, else 0.
// libext2fs trusts the superblock's value when it reads the bitmaps and writes past its buffer
// when it is anything else, so a damaged one is refused first (as e2fsck refuses it). Returns
// what is wrong, or "".
std::string ext_first_data_block_problem(std::uint64_t first_data_block, std::uint64_t block_size,
                                         std::uint64_t cluster_ratio);
FileSystemUsage fat_used_blocks(const PartitionSource& source);
FileSystemUsage ntfs_used_blocks(const PartitionSource& source);
// Page sizes a swap header may have been written with (x86 4K, arm64 4K/16K/64K, some 8K).
inline constexpr std::size_t swap_page_sizes[] = {4096, 8192, 16384, 65536};
// Swap holds nothing worth keeping: only its header page (signature, UUID, label).
FileSystemUsage swap_used_blocks(std::span<const std::uint8_t> head);

}  // namespace castline::imager
