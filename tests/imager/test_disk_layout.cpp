// read_disk_layout as a whole: what beyond the file systems is stored (table, boot area, gaps),
// disks without a table, unknown contents, bad files; a mixed disk rebuilt from its map alone.
#include "imager/disk_layout.hpp"

#include "tests/imager/test_disk_layout_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

TEST_CASE("merge_extents sorts, merges touching and overlapping ranges, drops empty ones") {
    CHECK(merge_extents({{10, 5}, {0, 4}, {4, 2}, {12, 10}, {40, 0}, {30, 1}}) ==
          std::vector<Extent>{{0, 6}, {10, 12}, {30, 1}});
    CHECK(merge_extents({}).empty());
}

TEST_CASE("mixed MBR disk: ext4, FAT16 logical, swap logical, unknown; rebuilt from the map") {
    TempDir dir;
    const auto disk = dir / "disk.img";
    make_sparse_file(disk, 40 * MiB);
    run("printf 'label: dos\\nstart=2048, size=16384, type=83\\nstart=20480, size=8192, type=da\\n"
        "start=30720, size=51200, type=5\\nstart=32768, size=32768, type=6\\n"
        "start=67584, size=8192, type=82\\n' | sfdisk -q " +
        quoted(disk));
    write_random_file(dir / "file.bin", 2 * MiB, 41);
    std::filesystem::create_directories(dir / "tree");
    std::filesystem::copy_file(dir / "file.bin", dir / "tree" / "file.bin");
    run("mkfs.ext4 -q -F -d " + quoted(dir / "tree") + " -E offset=" + std::to_string(1 * MiB) +
        " " + quoted(disk) + " 8M");
    run("mkfs.vfat -F 16 --offset=32768 " + quoted(disk) + " 16384");
    run("mcopy -i '" + disk.string() + "@@" + std::to_string(32768 * 512) + "' " +
        quoted(dir / "file.bin") + " ::/file.bin");
    make_sparse_file(dir / "swap.img", 4 * MiB);
    run("mkswap " + quoted(dir / "swap.img"));
    place(dir / "swap.img", disk, 67584 * 512);
    // Boot code in the gap after the MBR, data of an unknown kind in partition 2, and stray
    // bytes between partitions 1 and 2.
    write_random_file(dir / "core.img", 30000, 42);
    write_bytes(disk, 512, read_file(dir / "core.img"));
    write_random_file(dir / "opaque", 4 * MiB, 43);
    write_bytes(disk, 20480 * 512, read_file(dir / "opaque"));
    write_bytes(disk, 19000 * 512, {'s', 't', 'r', 'a', 'y'});

    const auto layout = read_disk_layout(disk, {});
    CHECK(layout.table == TableKind::mbr);
    CHECK(layout.size == 40 * MiB);
    CHECK(layout.sector_size == 512);
    REQUIRE(layout.partitions.size() == 4);
    CHECK(partition(layout, 1).file_system == FileSystemKind::ext);
    CHECK(partition(layout, 2).file_system == FileSystemKind::unknown);
    CHECK(partition(layout, 2).whole);
    CHECK(partition(layout, 2).used == std::vector<Extent>{{20480 * 512, 8192 * 512}});
    CHECK(partition(layout, 5).file_system == FileSystemKind::fat);
    CHECK(partition(layout, 6).file_system == FileSystemKind::swap);
    CHECK(layout.unpartitioned == std::vector<Extent>{{512, 1 * MiB - 512}});
    for (const auto& p : layout.partitions) {
        CHECK(p.used == merge_extents(p.used));
        for (const auto& e : p.used) CHECK(e.offset + e.length <= p.offset + p.length);
    }

    const auto copy = dir / "copy.img";
    const auto stored = stored_extents(layout);
    copy_extents(disk, copy, stored);
    CHECK(total_bytes(stored) < 20 * MiB);
    const auto table_dump = [](const std::filesystem::path& p) {
        std::string dump = run("sfdisk -d " + quoted(p));
        for (auto at = dump.find(p.string()); at != std::string::npos; at = dump.find(p.string()))
            dump.replace(at, p.string().size(), "DISK");
        return dump;
    };
    CHECK(table_dump(copy) == table_dump(disk));
    CHECK(read_bytes(copy, 512, 30000) == read_file(dir / "core.img"));
    CHECK(read_bytes(copy, 20480 * 512, 4 * MiB) == read_file(dir / "opaque"));
    CHECK(read_bytes(copy, 19000 * 512, 5) == std::vector<char>(5, 0));  // gap: not stored
    run("e2fsck -fn '" + copy.string() + "?offset=" + std::to_string(1 * MiB) + "'");
    extract(copy, 32768 * 512, 16 * MiB, dir / "fat.img");
    run("fsck.fat -n " + quoted(dir / "fat.img"));
    run("mcopy -i " + quoted(dir / "fat.img") + " ::/file.bin " + quoted(dir / "out.bin"));
    CHECK(read_file(dir / "out.bin") == read_file(dir / "file.bin"));

    SUBCASE("raw stores every partition whole and every gap") {
        LayoutOptions raw;
        raw.raw = true;
        const auto whole = read_disk_layout(disk, raw);
        for (const auto& p : whole.partitions) {
            CHECK(p.whole);
            CHECK(p.used == std::vector<Extent>{{p.offset, p.length}});
        }
        CHECK(stored_extents(whole) == std::vector<Extent>{{0, 40 * MiB}});
        CHECK(partition(whole, 5).file_system == FileSystemKind::fat);
    }
}

TEST_CASE("a file system without a partition table is partition 0 over the whole disk") {
    TempDir dir;
    const auto disk = dir / "bare.img";
    make_sparse_file(disk, 16 * MiB);
    run("mkfs.ext4 -q -F -L bare " + quoted(disk));
    const auto layout = read_disk_layout(disk, {});
    CHECK(layout.table == TableKind::none);
    CHECK(layout.table_regions.empty());
    REQUIRE(layout.partitions.size() == 1);
    const auto& p = layout.partitions[0];
    CHECK(p.number == 0);
    CHECK(p.length == 16 * MiB);
    CHECK(p.file_system == FileSystemKind::ext);
    CHECK(p.label == "bare");
    CHECK_FALSE(p.whole);
    CHECK(total_bytes(p.used) < 4 * MiB);
    CHECK(layout.unpartitioned.empty());
}

TEST_CASE("a disk with neither table nor known file system is stored whole") {
    TempDir dir;
    const auto disk = dir / "opaque.img";
    write_random_file(disk, 1 * MiB, 44);
    const auto layout = read_disk_layout(disk, {});
    CHECK(layout.partitions.empty());
    CHECK(layout.unpartitioned == std::vector<Extent>{{0, 1 * MiB}});
}

TEST_CASE("bad disks: missing file, truncated disk, damaged table") {
    TempDir dir;
    CHECK_THROWS_WITH_AS(read_disk_layout(dir / "missing.img", {}),
                         doctest::Contains("missing.img: cannot open"), LayoutError);
    const auto disk = dir / "disk.img";
    make_sparse_file(disk, 16 * MiB);
    run("sgdisk -n 1:2048:+4M -n 2:0:0 " + quoted(disk));
    std::filesystem::resize_file(disk, 8 * MiB);  // cut off: the last partition ends past it
    CHECK_THROWS_WITH_AS(read_disk_layout(disk, {}),
                         doctest::Contains("GPT header at LBA 1: usable range"), LayoutError);
}
