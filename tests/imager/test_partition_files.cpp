#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/partition_files.hpp"
#include "tests/imager/test_disk_layout_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

TEST_CASE("paths inside a partition") {
    CHECK(split_partition_path("Windows/Panther/unattend.xml").parts ==
          std::vector<std::string>{"Windows", "Panther", "unattend.xml"});
    CHECK(split_partition_path("/Sysprep//./sysprep.inf").text() == "Sysprep/sysprep.inf");
}

TEST_CASE("paths that could name something outside the partition are refused") {
    CHECK_THROWS_WITH_AS(split_partition_path("a/../../etc/passwd"),
                         doctest::Contains("climbs out with \"..\""), ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path(".."), doctest::Contains("climbs out"), ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path("C:/Windows"), doctest::Contains("names a drive"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path("Windows\\System32"), doctest::Contains("backslash"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path(std::string("a\0b", 3)), doctest::Contains("NUL"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path("/"), doctest::Contains("names no file"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path(""), doctest::Contains("names no file"), ImagerError);
}

TEST_CASE("ext whose superblock names a wrong first data block is refused, not read") {
    // libext2fs wrote past its bitmap buffer opening such a file system (found by fuzzing).
    TempDir dir;
    const auto disk = dir / "ext.img";
    make_sparse_file(disk, 1024 * 1024);
    run("mkfs.ext4 -q -F -b 1024 " + quoted(disk));
    run("debugfs -w -R 'ssv first_data_block 65' " + quoted(disk));
    Partition p;
    p.number = 2;
    p.length = 1024 * 1024;
    p.file_system = FileSystemKind::ext;
    for (const bool writable : {false, true})
        CHECK_THROWS_WITH_AS(
            open_partition_files(disk, p, writable),
            "partition 2 (ext): superblock says the first data block is 65, it must be 1",
            ImagerError);
}
