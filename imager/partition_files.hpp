#pragma once
// Whole-file access to the file system in one partition of a disk (file or block device),
// without a kernel mount: what post-config needs to read sysprep.inf and unattend.xml and to
// write them and dropped files back. One implementation per file system (partition_files_*.cpp);
// docs/adr/0080-postconfig-without-mounting.md says why and how.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imager/disk_layout.hpp"

namespace castline::imager {

// A path inside a partition, as its non-empty parts. Made only by split_partition_path.
struct PartitionPath {
    std::vector<std::string> parts;
    std::string text() const;  // "a/b/c"
};

// "Windows/Panther/unattend.xml" (a leading '/' means the partition's root too). Throws
// ImagerError(postconfig_failed) for an empty path, "..", a backslash, a drive letter or NUL:
// nothing may name a place outside the partition or be read differently by Windows.
PartitionPath split_partition_path(std::string_view path);

// "partition 2 (NTFS)", as every post-config message names a partition.
std::string partition_description(const Partition& partition);

class PartitionFiles {
  public:
    virtual ~PartitionFiles() = default;
    // The file's bytes, or nothing when no such file exists (lookup without case on NTFS and
    // FAT). Throws ImagerError when the path names a folder or cannot be read.
    virtual std::optional<std::string> read_file(const PartitionPath& path) = 0;
    // Whether a file or folder of that name exists.
    virtual bool exists(const PartitionPath& path) = 0;
    // Replaces the file's bytes, or creates it and any missing parent folders.
    virtual void write_file(const PartitionPath& path, std::string_view content) = 0;
    // The file system's label ("" when none).
    virtual std::string label() = 0;
};

// Opens the file system of `partition` on `disk`; read-only unless `writable` (opening NTFS
// writable already writes to it, so planning opens read-only). Throws ImagerError naming the
// problem when the partition holds no ext2/3/4, NTFS or FAT file system or it cannot be opened.
std::unique_ptr<PartitionFiles> open_partition_files(const std::filesystem::path& disk,
                                                     const Partition& partition, bool writable);

std::unique_ptr<PartitionFiles> open_ntfs_files(const std::filesystem::path& disk,
                                                const Partition& partition, bool writable);
std::unique_ptr<PartitionFiles> open_ext_files(const std::filesystem::path& disk,
                                               const Partition& partition, bool writable);
std::unique_ptr<PartitionFiles> open_fat_files(const std::filesystem::path& disk,
                                               const Partition& partition, bool writable);

}  // namespace castline::imager
