#pragma once
// Partition table parsing (MBR with extended/logical chains, GPT) over any byte source, so the
// same code reads a disk file, a block device or a fuzzer's buffer. Every structure read from the
// disk is checked before use; a bad one throws LayoutError naming what and where.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "imager/disk_layout.hpp"

namespace castline::imager {

// Fills `out` with the disk's bytes at `offset`. Called only with ranges inside the disk size.
using ReadAt = std::function<void(std::uint64_t offset, std::span<std::uint8_t> out)>;

struct TableEntry {
    int number = 0;            // Linux numbering: primaries 1-4 by slot, logicals from 5
    std::uint64_t offset = 0;  // bytes
    std::uint64_t length = 0;  // bytes
    std::string type;          // "0x83" or a GPT type GUID in its usual text form
    std::string name;          // GPT partition name (UTF-8)
};

struct PartitionTable {
    TableKind kind = TableKind::none;
    std::uint32_t sector_size = 512;
    std::vector<Extent> regions;         // every sector of the table itself, sorted
    std::vector<TableEntry> partitions;  // sorted by number
    std::vector<std::string> warnings;   // e.g. a damaged backup GPT
};

// Reads the table of a disk of `disk_size` bytes with logical sectors of `sector_size` bytes.
// A disk without an MBR signature has TableKind::none, and so has one whose sector 0 is an NTFS
// or FAT boot sector with no partition entries (the whole disk is one file system). For GPT,
// sector_size 512 disks whose header sits at byte 4096 are recognised as 4Kn (sector_size becomes
// 4096).
PartitionTable read_partition_table(const ReadAt& read, std::uint64_t disk_size,
                                    std::uint32_t sector_size);

// Pieces, exposed for tests and for the readers of each format.
PartitionTable read_mbr(const ReadAt& read, std::span<const std::uint8_t> mbr,
                        std::uint64_t disk_size, std::uint32_t sector_size);
PartitionTable read_gpt(const ReadAt& read, std::uint64_t disk_size, std::uint32_t sector_size);

// Throws LayoutError if a partition is empty, leaves the disk or overlaps another, or overlaps a
// table region.
void check_partitions(const PartitionTable& table, std::uint64_t disk_size);

// Little-endian field access on raw sectors.
std::uint16_t le16(std::span<const std::uint8_t> bytes, std::size_t at);
std::uint32_t le32(std::span<const std::uint8_t> bytes, std::size_t at);
std::uint64_t le64(std::span<const std::uint8_t> bytes, std::size_t at);
void put_le32(std::span<std::uint8_t> bytes, std::size_t at, std::uint32_t value);
void put_le64(std::span<std::uint8_t> bytes, std::size_t at, std::uint64_t value);

// A GUID as stored by GPT (mixed endian) in its text form, upper case.
std::string guid_text(std::span<const std::uint8_t> sixteen);

}  // namespace castline::imager
