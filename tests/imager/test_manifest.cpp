#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/manifest.hpp"

using namespace castline::imager;

namespace {
Manifest sample() {
    Manifest m;
    m.disk_size = 64 << 20;
    m.sector_size = 512;
    m.table = TableKind::gpt;
    m.created = 1795000000;
    m.tool_version = "castline-imager 0.1.0";
    m.description = "lab image \"x\" ä";
    m.compression_level = 3;
    m.table_regions = {{0, std::vector<std::uint8_t>(17408, 0xEE)},
                       {(64 << 20) - 16896, std::vector<std::uint8_t>(16896, 0x11)}};
    Partition p;
    p.number = 1;
    p.offset = 1 << 20;
    p.length = 32 << 20;
    p.type = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
    p.name = "root";
    p.file_system = FileSystemKind::ext;
    p.label = "rootfs";
    p.uuid = "1b2c-33";
    p.used = {{1 << 20, 4096}, {2 << 20, 65536}};
    m.partitions.push_back(p);
    m.warnings = {"a warning"};
    m.zero_extents = {{40 << 20, 65536}};
    ChunkEntry c;
    c.offset = 512;
    c.stored_length = 1000;
    c.plain_length = 4096 + 65536;
    c.plain_checksum.bytes[0] = 1;
    c.stored_checksum.bytes[15] = 2;
    c.pieces = {{1 << 20, 4096}, {2 << 20, 65536}};
    m.chunks.push_back(c);
    return m;
}
}  // namespace

TEST_CASE("the manifest round trips every field") {
    const auto m = sample();
    const auto bytes = serialize_manifest(m);
    const auto back = parse_manifest(bytes);
    CHECK(back.disk_size == m.disk_size);
    CHECK(back.table == TableKind::gpt);
    CHECK(back.created == m.created);
    CHECK(back.tool_version == m.tool_version);
    CHECK(back.description == m.description);
    CHECK(back.table_regions == m.table_regions);
    REQUIRE(back.partitions.size() == 1);
    CHECK(back.partitions[0].label == "rootfs");
    CHECK(back.partitions[0].used == m.partitions[0].used);
    CHECK(back.partitions[0].file_system == FileSystemKind::ext);
    CHECK(back.warnings == m.warnings);
    CHECK(back.zero_extents == m.zero_extents);
    CHECK(back.chunks == m.chunks);
    CHECK(back.used_bytes() == 4096 + 65536);
    CHECK(serialize_manifest(back) == bytes);
}

TEST_CASE("every truncation of a manifest is refused with a message") {
    const auto bytes = serialize_manifest(sample());
    for (std::size_t n = 0; n < bytes.size(); n += 97) {
        CHECK_THROWS_WITH_AS(parse_manifest({bytes.data(), n}), doctest::Contains("manifest: "),
                             ImagerError);
    }
}

TEST_CASE("hostile fields are refused, naming the field") {
    auto m = sample();
    m.chunks[0].pieces[1].length = 100;
    CHECK_THROWS_WITH_AS(parse_manifest(serialize_manifest(m)),
                         doctest::Contains("chunk 0: pieces cover"), ImagerError);
    m = sample();
    m.chunks[0].pieces[1].offset = m.disk_size;
    CHECK_THROWS_WITH_AS(parse_manifest(serialize_manifest(m)),
                         doctest::Contains("beyond the disk end"), ImagerError);
    m = sample();
    m.sector_size = 513;
    CHECK_THROWS_WITH_AS(parse_manifest(serialize_manifest(m)), doctest::Contains("sector size"),
                         ImagerError);
    m = sample();
    m.description = std::string(512, 'x');
    CHECK_THROWS_WITH_AS(parse_manifest(serialize_manifest(m)), doctest::Contains("description"),
                         ImagerError);
    m = sample();
    m.partitions[0].used[0].offset = 0;
    CHECK_THROWS_WITH_AS(parse_manifest(serialize_manifest(m)),
                         doctest::Contains("outside the partition"), ImagerError);
    m = sample();
    m.chunks[0].offset = UINT64_MAX - 40;  // offset + 32-byte header + stored length wraps
    CHECK_THROWS_WITH_AS(parse_manifest(serialize_manifest(m)),
                         doctest::Contains("chunk 0: image offset 18446744073709551575 + 32-byte "
                                           "header + stored length"),
                         ImagerError);
    m = sample();
    m.chunks.push_back(m.chunks[0]);  // overlaps the first one in the image
    CHECK_THROWS_WITH_AS(parse_manifest(serialize_manifest(m)),
                         doctest::Contains("chunk 1: image offset"), ImagerError);
}

TEST_CASE("a huge count cannot make the parser allocate") {
    auto bytes = serialize_manifest(sample());
    // The chunk count is the u64 right before the last chunk entry (8+4+4+16+16+4+2*12 bytes).
    const std::size_t at = bytes.size() - (8 + 4 + 4 + 16 + 16 + 4 + 2 * 12) - 8;
    for (int i = 0; i < 8; ++i) bytes[at + i] = 0xFF;
    CHECK_THROWS_WITH_AS(parse_manifest(bytes), doctest::Contains("chunk count"), ImagerError);
}

TEST_CASE("chunk headers round trip and are checked against the expected index") {
    ChunkHeader h;
    h.index = 42;
    h.stored_length = 1234;
    h.plain_length = 99999;
    h.encrypted = true;
    auto bytes = serialize_chunk_header(h);
    REQUIRE(bytes.size() == kChunkHeaderSize);
    const auto back = parse_chunk_header(bytes, 42);
    CHECK(back.stored_length == 1234);
    CHECK(back.plain_length == 99999);
    CHECK(back.encrypted);
    CHECK_THROWS_WITH_AS(parse_chunk_header(bytes, 41),
                         doctest::Contains("header says it is chunk 42"), ImagerError);
    bytes[5] ^= 1;
    CHECK_THROWS_WITH_AS(parse_chunk_header(bytes, 42), doctest::Contains("checksum mismatch"),
                         ImagerError);
}
