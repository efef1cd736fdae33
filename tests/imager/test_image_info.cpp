// `castline-imager info`: sizes for people with the exact bytes beside them, a disk without a
// partition table said as much, and the JSON keeping plain byte counts for programs.
#include <doctest/doctest.h>

#include "imager/image_info.hpp"

using namespace castline::imager;

namespace {
void contains(const std::string& text, const std::string& part) {
    INFO(text);
    CHECK(text.find(part) != std::string::npos);
}

// An ext4 file system on the whole disk (no table): partition 0, 4 MiB allocated of 512 MiB.
Manifest whole_disk_ext4() {
    Manifest m;
    m.disk_size = 512 << 20;
    m.table = TableKind::none;
    m.tool_version = "castline-imager 1";
    Partition p;
    p.number = 0;
    p.length = m.disk_size;
    p.file_system = FileSystemKind::ext;
    p.label = "root";
    p.used = {{0, 3 << 20}, {100 << 20, 1 << 20}};
    m.partitions = {p};
    m.zero_extents = {{100 << 20, 1 << 20}};  // one used MiB was all zero
    ChunkEntry c;
    c.stored_length = 1 << 20;
    c.plain_length = 3 << 20;
    c.pieces = {{0, 3 << 20}};
    m.chunks = {c};
    return m;
}
}  // namespace

TEST_CASE("info on a disk without a partition table says so and names no empty type") {
    ImageHeader h;
    h.image_length = (1 << 20) + 4096;
    const auto m = whole_disk_ext4();
    const auto text = format_info_text(h, &m, 1);
    CHECK(text.find("type ,") == std::string::npos);
    CHECK(text.find("partition 0") == std::string::npos);
    contains(text, "partition table: no partition table\n");
    contains(text,
             "whole disk:      offset 0, 512.0 MiB (536870912 bytes), ext label 'root', "
             "4.0 MiB (4194304 bytes) allocated\n");
}

TEST_CASE("info prints sizes for people and names read, used data and stored apart") {
    ImageHeader h;
    h.image_length = (1 << 20) + 4096;
    const auto m = whole_disk_ext4();
    const auto text = format_info_text(h, &m, 1);
    contains(text, "image size:      1.0 MiB (1052672 bytes) in 1 file(s)\n");
    contains(text, "disk size:       512.0 MiB (536870912 bytes), 512-byte sectors\n");
    contains(text,
             "smallest target: 512.0 MiB (536870912 bytes): the whole-disk file system "
             "(ext 'root') ends at byte 536870912\n");
    contains(text, "read:            4.0 MiB (4194304 bytes) (used blocks");
    contains(text, "used data:       3.0 MiB (3145728 bytes) in 1 chunks");
    contains(text, "stored:          1.0 MiB (1048576 bytes) (used data at zstd level 0)\n");

    const auto json = format_info_json(h, &m, 1);
    contains(json,
             "\"min_target_bytes\":536870912,\"read_bytes\":4194304,"
             "\"used_bytes\":3145728,\"stored_bytes\":1048576,");
}
