// ext2/3/4 used-block maps on real file systems made by mkfs.ext4 inside partitioned disk files.
#include <sstream>

#include "imager/used_blocks.hpp"
#include "tests/imager/test_disk_layout_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

namespace {

constexpr std::uint64_t p1_offset = 1 * MiB, p1_size = 16 * MiB;   // ext4, 1 KiB blocks
constexpr std::uint64_t p5_offset = 19 * MiB, p5_size = 24 * MiB;  // ext4 bigalloc, logical

struct ExtDisk {
    TempDir dir;
    std::filesystem::path disk = dir / "disk.img";
    std::filesystem::path files = dir / "files";
    ExtDisk() {
        std::filesystem::create_directories(files / "sub");
        write_random_file(files / "big.bin", 3 * MiB + 123, 1);
        write_random_file(files / "sub" / "small.bin", 5000, 2);
        write_random_file(files / "sub" / "medium.bin", 700 * 1024, 3);
        make_sparse_file(disk, 48 * MiB);
        run("printf 'label: dos\\nstart=2048, size=32768, type=83\\n"
            "start=36864, size=57344, type=5\\nstart=38912, size=49152, type=83\\n' | sfdisk -q " +
            quoted(disk));
        run("mkfs.ext4 -q -F -L rootfs -d " + quoted(files) +
            " -E offset=" + std::to_string(p1_offset) + " " + quoted(disk) + " 16M");
        run("mkfs.ext4 -q -F -L big -b 4096 -O bigalloc -C 16384 -d " + quoted(files) +
            " -E offset=" + std::to_string(p5_offset) + " " + quoted(disk) + " 24M");
    }
    std::string fs(std::uint64_t offset) const {
        return "'" + disk.string() + "?offset=" + std::to_string(offset) + "'";
    }
};

std::vector<std::uint64_t> file_blocks(const std::string& fs, const std::string& file) {
    std::istringstream words(run("debugfs -R 'blocks " + file + "' " + fs));
    std::vector<std::uint64_t> blocks;
    for (std::string w; words >> w;)
        if (w.find_first_not_of("0123456789") == std::string::npos)
            blocks.push_back(std::stoull(w));
    return blocks;
}

std::uint64_t dumpe2fs_field(const std::string& fs, const std::string& field) {
    const std::string out = run("dumpe2fs -h " + fs);
    const auto at = out.find(field + ":");
    REQUIRE(at != std::string::npos);
    return std::stoull(out.substr(at + field.size() + 1));
}

void check_map(const ExtDisk& d, const Partition& p, std::uint64_t offset) {
    const std::string fs = d.fs(offset);
    const std::uint64_t block = dumpe2fs_field(fs, "Block size");
    CHECK(p.file_system == FileSystemKind::ext);
    CHECK_FALSE(p.whole);
    // Every data block of every file lies in the map.
    for (const char* file : {"/big.bin", "/sub/small.bin", "/sub/medium.bin"}) {
        const auto blocks = file_blocks(fs, file);
        CHECK(blocks.size() >= 1);
        for (const auto b : blocks)
            CHECK_MESSAGE(inside(p.used, offset + b * block, block), file << " block " << b);
    }
    // The map holds exactly the blocks e2fsprogs counts as used (with 1 KiB blocks, block 0 is
    // outside the bitmap: e2fsprogs counts it used, and we keep it as the boot block).
    const std::uint64_t count = dumpe2fs_field(fs, "Block count");
    const std::uint64_t free = dumpe2fs_field(fs, "Free blocks");
    CHECK(total_bytes(p.used) == (count - free) * block);
    CHECK(total_bytes(p.used) < p.length / 2);
}

}  // namespace

TEST_CASE("ext4 maps cover every file block and match dumpe2fs's used count; bigalloc too") {
    ExtDisk d;
    const auto layout = read_disk_layout(d.disk, {});
    CHECK(layout.warnings.empty());
    const auto& p1 = partition(layout, 1);
    CHECK(p1.label == "rootfs");
    CHECK(run("dumpe2fs -h " + d.fs(p1_offset)).find(p1.uuid) != std::string::npos);
    check_map(d, p1, p1_offset);
    const auto& p5 = partition(layout, 5);
    CHECK(p5.label == "big");
    check_map(d, p5, p5_offset);
}

TEST_CASE("ext4 round trip: only the mapped bytes rebuild clean file systems with equal files") {
    ExtDisk d;
    const auto layout = read_disk_layout(d.disk, {});
    const auto copy = d.dir / "copy.img";
    copy_extents(d.disk, copy, stored_extents(layout));
    for (const std::uint64_t offset : {p1_offset, p5_offset}) {
        const std::string fs = "'" + copy.string() + "?offset=" + std::to_string(offset) + "'";
        run("e2fsck -fn " + fs);
        for (const char* file : {"big.bin", "sub/small.bin", "sub/medium.bin"}) {
            const auto out = d.dir / "out.bin";
            std::filesystem::remove(out);
            run("debugfs -R 'dump /" + std::string(file) + " " + out.string() + "' " + fs);
            CHECK_MESSAGE(read_file(out) == read_file(d.files / file), file);
        }
    }
}

TEST_CASE("ext4 whose superblock free count disagrees with its bitmap is refused or stored whole") {
    ExtDisk d;
    run("debugfs -w -R 'ssv free_blocks_count 100' " + d.fs(p1_offset));
    CHECK_THROWS_WITH_AS(read_disk_layout(d.disk, {}),
                         doctest::Contains("partition 1: ext: superblock counts 100 free blocks"),
                         LayoutError);
    LayoutOptions fallback;
    fallback.fallback_to_whole = true;
    const auto layout = read_disk_layout(d.disk, fallback);
    const auto& p1 = partition(layout, 1);
    CHECK(p1.whole);
    CHECK(p1.file_system == FileSystemKind::ext);
    CHECK(p1.used == std::vector<Extent>{{p1_offset, p1_size}});
    REQUIRE(layout.warnings.size() == 1);
    CHECK(layout.warnings[0].find("partition 1: ext: superblock counts 100") != std::string::npos);
    CHECK_FALSE(partition(layout, 5).whole);  // the healthy one keeps its map
}

TEST_CASE("ext4 whose superblock names a wrong first data block is refused") {
    // libext2fs wrote past its bitmap buffer reading such a file system (found by fuzzing).
    ExtDisk d;
    run("debugfs -w -R 'ssv first_data_block 65' " + d.fs(p1_offset));
    CHECK_THROWS_WITH_AS(
        read_disk_layout(d.disk, {}),
        doctest::Contains(
            "partition 1: ext: superblock says the first data block is 65, it must be 1"),
        LayoutError);
}

TEST_CASE("ext4 with a journal waiting for replay is refused") {
    ExtDisk d;
    run("debugfs -w -R 'feature needs_recovery' " + d.fs(p5_offset));
    CHECK_THROWS_WITH_AS(read_disk_layout(d.disk, {}),
                         doctest::Contains("partition 5: ext: journal needs recovery"),
                         LayoutError);
}

TEST_CASE("raw stores ext4 whole") {
    ExtDisk d;
    LayoutOptions raw;
    raw.raw = true;
    const auto layout = read_disk_layout(d.disk, raw);
    CHECK(partition(layout, 1).whole);
    CHECK(partition(layout, 1).file_system == FileSystemKind::ext);
    CHECK(partition(layout, 5).used == std::vector<Extent>{{p5_offset, p5_size}});
}
