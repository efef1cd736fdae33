#include <doctest/doctest.h>

#include "imager/checksum.hpp"
#include "imager/errors.hpp"
#include "imager/restore_plan.hpp"
#include "imager/target_writer.hpp"
#include "imager_test_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

TEST_CASE("partition heads are wiped first and written last") {
    TempDir dir;
    const std::uint64_t disk = 4 << 20;
    write_file(dir / "t", random_bytes(disk, 1));  // old contents of the target
    Manifest m;
    m.disk_size = disk;
    Partition p;
    p.number = 1;
    p.offset = 1 << 20;
    p.length = 2 << 20;
    m.partitions = {p};
    m.zero_extents = {{3 << 20, 65536}};
    const auto plain = random_bytes(256 * 1024, 2);
    ChunkEntry c;
    c.pieces = {{(1 << 20) - 4096, 4096}, {1 << 20, plain.size() - 4096}};
    c.plain_length = static_cast<std::uint32_t>(plain.size());
    c.plain_checksum = xxh3_128(plain);
    m.chunks = {c};

    TargetWriter writer(dir / "t", m);
    writer.begin();
    writer.write_chunk(c, plain);
    auto now = read_file(dir / "t");
    // The partition's first 64 KiB are zero until finish(); bytes after them are already there.
    CHECK(std::all_of(now.begin() + (1 << 20), now.begin() + (1 << 20) + 65536,
                      [](auto b) { return b == 0; }));
    CHECK(std::equal(plain.begin() + 4096 + 65536, plain.end(), now.begin() + (1 << 20) + 65536));
    CHECK(std::equal(plain.begin(), plain.begin() + 4096, now.begin() + (1 << 20) - 4096));
    // The zero extent is zero.
    CHECK(std::all_of(now.begin() + (3 << 20), now.begin() + (3 << 20) + 65536,
                      [](auto b) { return b == 0; }));
    writer.finish();
    now = read_file(dir / "t");
    CHECK(std::equal(plain.begin(), plain.end(), now.begin() + (1 << 20) - 4096));
    CHECK(writer.verify_chunk(c));
}

TEST_CASE("a missing target file is created at the disk size only when writing begins") {
    TempDir dir;
    Manifest m;
    m.disk_size = 3 << 20;
    TargetWriter writer(dir / "new", m);
    CHECK_FALSE(std::filesystem::exists(dir / "new"));
    writer.begin();
    writer.finish();
    CHECK(std::filesystem::file_size(dir / "new") == 3 << 20);
}

TEST_CASE("a target too small is refused before anything is written") {
    TempDir dir;
    const auto before = random_bytes(1 << 20, 3);
    write_file(dir / "small", before);
    Manifest m;
    m.disk_size = 4 << 20;
    ChunkEntry c;
    c.pieces = {{2 << 20, 4096}};
    c.plain_length = 4096;
    m.chunks = {c};
    try {
        TargetWriter writer(dir / "small", m);
        FAIL("no error");
    } catch (const ImagerError& e) {
        CHECK(e.code == ExitCode::target_too_small);
    }
    CHECK(read_file(dir / "small") == before);
}
