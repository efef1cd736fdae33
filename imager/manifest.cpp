#include "imager/manifest.hpp"

#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>

#include "imager/byte_io.hpp"
#include "imager/errors.hpp"

namespace castline::imager {
namespace {

constexpr std::uint32_t kManifestMagic = 0x464d4c43;  // "CLMF"
constexpr std::uint32_t kChunkMagic = 0x4b434c43;     // "CLCK"

std::size_t characters(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void put_extents(ByteWriter& w, const std::vector<Extent>& extents) {
    w.u64(extents.size());
    for (const auto& e : extents) {
        w.u64(e.offset);
        w.u64(e.length);
    }
}

[[noreturn]] void fail(const std::string& field, const std::string& problem) {
    throw bad_image("manifest: " + field + ": " + problem);
}

// A count read from the input, refused when the rest of the input cannot hold that many items
// of at least `min_item` bytes: a hostile count cannot make us allocate.
std::uint64_t count(ByteReader& r, bool wide, std::size_t min_item, const std::string& field) {
    const std::uint64_t n = wide ? r.u64(field.c_str()) : r.u32(field.c_str());
    if (n > r.remaining() / min_item)
        fail(field, std::to_string(n) + " items cannot fit in the " +
                        std::to_string(r.remaining()) + " bytes left");
    return n;
}

void check_range(std::uint64_t offset, std::uint64_t length, std::uint64_t limit,
                 const std::string& field) {
    if (length == 0) fail(field, "empty range at " + std::to_string(offset));
    if (offset > limit || length > limit - offset)
        fail(field, "range " + std::to_string(offset) + "+" + std::to_string(length) +
                        " lies beyond the disk end " + std::to_string(limit));
}

std::vector<Extent> get_extents(ByteReader& r, std::uint64_t limit, const std::string& field) {
    const auto n = count(r, true, 16, field + " count");
    std::vector<Extent> out;
    out.reserve(n);
    std::uint64_t previous_end = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        Extent e;
        e.offset = r.u64(field.c_str());
        e.length = r.u64(field.c_str());
        const auto name = field + " " + std::to_string(i);
        check_range(e.offset, e.length, limit, name);
        if (e.offset < previous_end) fail(name, "not sorted or overlapping");
        previous_end = e.offset + e.length;
        out.push_back(e);
    }
    return out;
}

}  // namespace

const char* file_system_name(FileSystemKind kind) {
    switch (kind) {
        case FileSystemKind::ext:
            return "ext";
        case FileSystemKind::ntfs:
            return "ntfs";
        case FileSystemKind::fat:
            return "fat";
        case FileSystemKind::swap:
            return "swap";
        case FileSystemKind::unknown:
            break;
    }
    return "unknown";
}

const char* table_kind_name(TableKind kind) {
    switch (kind) {
        case TableKind::mbr:
            return "mbr";
        case TableKind::gpt:
            return "gpt";
        case TableKind::none:
            break;
    }
    return "none";
}

std::uint64_t Manifest::used_bytes() const {
    std::uint64_t total = 0;
    for (const auto& c : chunks) total += c.plain_length;
    return total;
}

std::vector<std::uint8_t> serialize_manifest(const Manifest& m) {
    ByteWriter w;
    w.u32(kManifestMagic);
    w.u64(m.disk_size);
    w.u32(m.sector_size);
    w.u8(static_cast<std::uint8_t>(m.table));
    w.u64(static_cast<std::uint64_t>(m.created));
    w.str(m.tool_version);
    w.str(m.description);
    w.u32(m.chunker.min_size);
    w.u32(m.chunker.average_size);
    w.u32(m.chunker.max_size);
    w.u32(static_cast<std::uint32_t>(m.compression_level));
    w.u32(static_cast<std::uint32_t>(m.table_regions.size()));
    for (const auto& t : m.table_regions) {
        w.u64(t.offset);
        w.u32(static_cast<std::uint32_t>(t.bytes.size()));
        w.raw(t.bytes);
    }
    w.u32(static_cast<std::uint32_t>(m.partitions.size()));
    for (const auto& p : m.partitions) {
        w.u32(static_cast<std::uint32_t>(p.number));
        w.u64(p.offset);
        w.u64(p.length);
        w.str(p.type);
        w.str(p.name);
        w.u8(static_cast<std::uint8_t>(p.file_system));
        w.str(p.label);
        w.str(p.uuid);
        w.u8(p.whole ? 1 : 0);
        put_extents(w, p.used);
    }
    w.u32(static_cast<std::uint32_t>(m.warnings.size()));
    for (const auto& text : m.warnings) w.str(text);
    put_extents(w, m.zero_extents);
    w.u64(m.chunks.size());
    for (const auto& c : m.chunks) {
        w.u64(c.offset);
        w.u32(c.stored_length);
        w.u32(c.plain_length);
        w.raw(c.plain_checksum.bytes);
        w.raw(c.stored_checksum.bytes);
        w.u32(static_cast<std::uint32_t>(c.pieces.size()));
        for (const auto& p : c.pieces) {
            w.u64(p.offset);
            w.u32(static_cast<std::uint32_t>(p.length));
        }
    }
    return std::move(w.bytes());
}

Manifest parse_manifest(std::span<const std::uint8_t> bytes) {
    Manifest m;
    ByteReader r(bytes);
    try {
        if (r.u32("magic") != kManifestMagic) fail("magic", "not CLMF");
        m.disk_size = r.u64("disk size");
        if (m.disk_size == 0) fail("disk size", "zero");
        m.sector_size = r.u32("sector size");
        if (m.sector_size != 512 && m.sector_size != 1024 && m.sector_size != 2048 &&
            m.sector_size != 4096)
            fail("sector size", std::to_string(m.sector_size) + " is not 512/1024/2048/4096");
        const auto table = r.u8("table kind");
        if (table > static_cast<std::uint8_t>(TableKind::gpt))
            fail("table kind", "unknown value " + std::to_string(table));
        m.table = static_cast<TableKind>(table);
        m.created = static_cast<std::int64_t>(r.u64("creation time"));
        m.tool_version = r.str("tool version");
        m.description = r.str("description");
        if (characters(m.description) > kMaxDescriptionCharacters)
            fail("description", "longer than 511 characters");
        m.chunker.min_size = r.u32("chunker min size");
        m.chunker.average_size = r.u32("chunker average size");
        m.chunker.max_size = r.u32("chunker max size");
        m.compression_level = static_cast<std::int32_t>(r.u32("compression level"));

        const auto regions = count(r, false, 12, "table region count");
        std::uint64_t table_bytes = 0;
        for (std::uint64_t i = 0; i < regions; ++i) {
            const auto name = "table region " + std::to_string(i);
            TableRegion t;
            t.offset = r.u64(name.c_str());
            const auto length = r.u32(name.c_str());
            if (length > kMaxTableRegionSize) fail(name, "longer than 1 MiB");
            check_range(t.offset, length, m.disk_size, name);
            table_bytes += length;
            if (table_bytes > 16 * kMaxTableRegionSize) fail(name, "table regions exceed 16 MiB");
            auto data = r.raw(length, name.c_str());
            t.bytes.assign(data.begin(), data.end());
            m.table_regions.push_back(std::move(t));
        }

        const auto partitions = count(r, false, 47, "partition count");
        for (std::uint64_t i = 0; i < partitions; ++i) {
            const auto name = "partition " + std::to_string(i);
            Partition p;
            p.number = static_cast<int>(r.u32(name.c_str()));
            p.offset = r.u64(name.c_str());
            p.length = r.u64(name.c_str());
            check_range(p.offset, p.length, m.disk_size, name);
            p.type = r.str(name.c_str());
            p.name = r.str(name.c_str());
            const auto fs = r.u8(name.c_str());
            if (fs > static_cast<std::uint8_t>(FileSystemKind::swap))
                fail(name, "unknown file system kind " + std::to_string(fs));
            p.file_system = static_cast<FileSystemKind>(fs);
            p.label = r.str(name.c_str());
            p.uuid = r.str(name.c_str());
            p.whole = r.u8(name.c_str()) != 0;
            p.used = get_extents(r, m.disk_size, name + " used extent");
            for (const auto& e : p.used)
                if (e.offset < p.offset || e.offset + e.length > p.offset + p.length)
                    fail(name, "used extent " + std::to_string(e.offset) + "+" +
                                   std::to_string(e.length) + " lies outside the partition");
            m.partitions.push_back(std::move(p));
        }

        const auto warnings = count(r, false, 2, "warning count");
        for (std::uint64_t i = 0; i < warnings; ++i) m.warnings.push_back(r.str("warning"));

        m.zero_extents = get_extents(r, m.disk_size, "zero extent");

        const auto chunks = count(r, true, 56, "chunk count");
        m.chunks.reserve(chunks);
        std::uint64_t next_offset = 0;
        const auto max_stored = ZSTD_compressBound(kMaxChunkPlainSize) + 16;
        for (std::uint64_t i = 0; i < chunks; ++i) {
            const auto name = "chunk " + std::to_string(i);
            ChunkEntry c;
            c.offset = r.u64(name.c_str());
            c.stored_length = r.u32(name.c_str());
            c.plain_length = r.u32(name.c_str());
            auto plain = r.raw(16, name.c_str());
            std::copy(plain.begin(), plain.end(), c.plain_checksum.bytes.begin());
            auto stored = r.raw(16, name.c_str());
            std::copy(stored.begin(), stored.end(), c.stored_checksum.bytes.begin());
            if (c.plain_length == 0 || c.plain_length > kMaxChunkPlainSize)
                fail(name, "plaintext length " + std::to_string(c.plain_length) +
                               " out of range (1..64 MiB)");
            if (c.stored_length == 0 || c.stored_length > max_stored)
                fail(name, "stored length " + std::to_string(c.stored_length) + " out of range");
            if (c.offset < next_offset)
                fail(name,
                     "image offset " + std::to_string(c.offset) + " overlaps the chunk before it");
            if (c.offset > UINT64_MAX - kChunkHeaderSize - c.stored_length)
                fail(name, "image offset " + std::to_string(c.offset) + " + " +
                               std::to_string(kChunkHeaderSize) + "-byte header + stored length " +
                               std::to_string(c.stored_length) + " wraps past 2^64");
            next_offset = c.offset + kChunkHeaderSize + c.stored_length;
            const auto pieces = count(r, false, 12, name + " piece count");
            if (pieces == 0) fail(name, "no pieces");
            std::uint64_t sum = 0;
            for (std::uint64_t k = 0; k < pieces; ++k) {
                Extent e;
                e.offset = r.u64(name.c_str());
                e.length = r.u32(name.c_str());
                check_range(e.offset, e.length, m.disk_size, name + " piece " + std::to_string(k));
                sum += e.length;
                c.pieces.push_back(e);
            }
            if (sum != c.plain_length)
                fail(name, "pieces cover " + std::to_string(sum) + " bytes, plaintext is " +
                               std::to_string(c.plain_length));
            m.chunks.push_back(std::move(c));
        }
        // Trailing bytes are allowed: later minor versions append fields here.
    } catch (const FormatError& e) {
        throw bad_image(std::string("manifest: ") + e.what());
    }
    return m;
}

std::vector<std::uint8_t> serialize_chunk_header(const ChunkHeader& h) {
    ByteWriter w;
    w.u32(kChunkMagic);
    w.u32(h.stored_length);
    w.u64(h.index);
    w.u32(h.plain_length);
    w.u32(h.encrypted ? 1 : 0);
    w.u64(XXH3_64bits(w.bytes().data(), w.size()));
    return std::move(w.bytes());
}

ChunkHeader parse_chunk_header(std::span<const std::uint8_t> bytes, std::uint64_t expected_index,
                               const std::string& name) {
    const auto where = (name.empty() ? "chunk " + std::to_string(expected_index) : name) + ": ";
    if (bytes.size() < kChunkHeaderSize) throw bad_image(where + "header truncated");
    ByteReader r(bytes);
    ChunkHeader h;
    if (r.u32("magic") != kChunkMagic)
        throw bad_image(where + "no chunk header (CLCK) at its offset");
    h.stored_length = r.u32("stored length");
    h.index = r.u64("index");
    h.plain_length = r.u32("plain length");
    const auto flags = r.u32("flags");
    const auto sum = r.u64("checksum");
    if (XXH3_64bits(bytes.data(), 24) != sum)
        throw bad_image(where + "chunk header checksum mismatch");
    if (flags > 1) throw bad_image(where + "unknown chunk flags");
    h.encrypted = flags & 1;
    if (h.index != expected_index)
        throw bad_image(where + "header says it is chunk " + std::to_string(h.index));
    return h;
}

}  // namespace castline::imager
