#pragma once
// The manifest: everything about an image except the chunk bytes (docs/image-format.md,
// "Manifest"). Serialized to a little-endian byte string; parsing checks every count and range
// so a hostile manifest is refused with a message naming the field, never trusted.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "imager/checksum.hpp"
#include "imager/disk_layout.hpp"
#include "imager/gear_chunker.hpp"

namespace castline::imager {

constexpr std::size_t kMaxDescriptionCharacters = 511;
constexpr std::uint32_t kMaxChunkPlainSize = 64 * 1024 * 1024;  // bounds a reader's memory
constexpr std::uint64_t kMaxTableRegionSize = 1024 * 1024;

struct ChunkEntry {
    std::uint64_t offset = 0;         // image offset of the chunk record (header + stored bytes)
    std::uint32_t stored_length = 0;  // stored bytes: zstd frame, or its ciphertext + GCM tag
    std::uint32_t plain_length = 0;
    Hash128 plain_checksum;      // XXH3-128 of the plaintext (the disk bytes)
    Hash128 stored_checksum;     // XXH3-128 of the stored bytes
    std::vector<Extent> pieces;  // where the plaintext goes, in order; lengths sum to plain_length
    bool operator==(const ChunkEntry&) const = default;
};

struct TableRegion {
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> bytes;  // the raw partition table sectors at offset
    bool operator==(const TableRegion&) const = default;
};

// The chunk table: the chunks in image order, with where each goes on the disk.
using ChunkTable = std::vector<ChunkEntry>;

struct Manifest {
    std::uint64_t disk_size = 0;
    std::uint32_t sector_size = 512;
    TableKind table = TableKind::none;
    std::int64_t created = 0;  // seconds since 1970-01-01 UTC
    std::string tool_version;
    std::string description;
    ChunkerParams chunker;
    int compression_level = 0;
    std::vector<TableRegion> table_regions;
    std::vector<Partition> partitions;
    std::vector<std::string> warnings;
    // Disk ranges that were all zero in stored regions: restore makes them zero on the target.
    std::vector<Extent> zero_extents;
    ChunkTable chunks;

    std::uint64_t used_bytes() const;  // sum of chunk plaintext lengths
};

std::vector<std::uint8_t> serialize_manifest(const Manifest& manifest);
// Throws ImagerError(bad_image) with "manifest: <field>: <problem>".
Manifest parse_manifest(std::span<const std::uint8_t> bytes);

// The 32-byte header in front of each chunk's stored bytes in the image, so a chunk can be
// recognised and checked against the chunk table on its own.
constexpr std::size_t kChunkHeaderSize = 32;
struct ChunkHeader {
    std::uint64_t index = 0;
    std::uint32_t stored_length = 0;
    std::uint32_t plain_length = 0;
    bool encrypted = false;
};
std::vector<std::uint8_t> serialize_chunk_header(const ChunkHeader& header);
// Throws ImagerError(bad_image) naming the chunk index expected.
// `name` is how messages name the chunk (default "chunk N").
ChunkHeader parse_chunk_header(std::span<const std::uint8_t> bytes, std::uint64_t expected_index,
                               const std::string& name = {});

const char* file_system_name(FileSystemKind kind);
const char* table_kind_name(TableKind kind);

}  // namespace castline::imager
