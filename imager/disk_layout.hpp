#pragma once
// What a disk holds, as the image format needs it: the partition table regions, each partition
// with its file system and the byte ranges it uses. Produced by reading a disk (file or device).
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace castline::imager {

// A byte range of the disk: [offset, offset + length).
struct Extent {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    bool operator==(const Extent&) const = default;
};

enum class TableKind { none, mbr, gpt };
enum class FileSystemKind { unknown, ext, ntfs, fat, swap };

struct Partition {
    int number = 0;            // 1-based, as Linux names them (logical MBR partitions from 5)
    std::uint64_t offset = 0;  // bytes from the start of the disk
    std::uint64_t length = 0;  // bytes
    std::string type;          // MBR type byte as "0x07" or GPT type GUID
    std::string name;          // GPT partition name
    FileSystemKind file_system = FileSystemKind::unknown;
    std::string label;         // file system label
    std::string uuid;          // file system UUID / serial
    std::vector<Extent> used;  // absolute disk ranges holding used data, sorted, merged
    bool whole = false;        // stored whole (unknown fs, --raw, or fallback)
};

struct DiskLayout {
    std::uint64_t size = 0;  // bytes
    std::uint32_t sector_size = 512;
    TableKind table = TableKind::none;
    std::vector<Extent> table_regions;  // MBR/EBR sectors, GPT headers and entry arrays
    // Bytes outside partitions and table regions that are stored too: the gap between the table
    // and the first partition (boot loaders such as GRUB's core.img live there), and with
    // options.raw every gap. See docs/disk-layout.md.
    std::vector<Extent> unpartitioned;
    std::vector<Partition> partitions;
    std::vector<std::string> warnings;  // e.g. fell back to whole because counts disagreed
};

struct LayoutOptions {
    bool raw = false;                // every partition whole
    bool fallback_to_whole = false;  // on inconsistent free counts: store whole, with a warning
};

// Reads the partition table and each file system's used-block map. Throws LayoutError naming the
// partition and the problem when the disk cannot be read or a file system is inconsistent.
DiskLayout read_disk_layout(const std::filesystem::path& disk, const LayoutOptions& options);

struct LayoutError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Every byte range an image must hold to rebuild the disk: table regions, the stored
// unpartitioned bytes and each partition's used extents; sorted and merged.
std::vector<Extent> stored_extents(const DiskLayout& layout);

// Sorts extents and merges overlapping or touching ones; drops empty ones.
std::vector<Extent> merge_extents(std::vector<Extent> extents);

}  // namespace castline::imager
