// FAT12/16/32 used-block maps on file systems made by mkfs.vfat and filled with mtools inside
// MBR (primary and logical) and GPT disk files.
#include "imager/used_blocks_fat.hpp"

#include "imager/used_blocks.hpp"
#include "tests/imager/test_disk_layout_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

namespace {

struct FatVolume {
    int number;
    std::uint64_t offset, size;
};

struct FatDisk {
    TempDir dir;
    std::filesystem::path disk = dir / "disk.img";
    std::vector<FatVolume> volumes;
    std::vector<std::string> names{"one.bin", "two.bin", "frag.bin"};

    std::string at(const FatVolume& v) const {
        return "'" + disk.string() + "@@" + std::to_string(v.offset) + "'";
    }
    std::filesystem::path source(const FatVolume& v, const std::string& name) const {
        return dir / ("source" + std::to_string(v.number)) / name;
    }
    // Three files, the middle one deleted before the last is written, so the last one is
    // fragmented around the hole (on FAT32 once the FSInfo next-free hint is reset, as after
    // a remount).
    void fill(const FatVolume& v, std::size_t scale, bool fat32 = false) {
        std::filesystem::create_directories(source(v, ""));
        write_random_file(source(v, "one.bin"), 40 * scale + 1, 11);
        write_random_file(source(v, "gap.bin"), 30 * scale, 12);
        write_random_file(source(v, "two.bin"), 20 * scale + 7, 13);
        write_random_file(source(v, "frag.bin"), 90 * scale + 3, 14);
        run("mmd -i " + at(v) + " ::/dir");
        run("mcopy -i " + at(v) + " " + quoted(source(v, "one.bin")) + " ::/one.bin");
        run("mcopy -i " + at(v) + " " + quoted(source(v, "gap.bin")) + " ::/dir/gap.bin");
        run("mcopy -i " + at(v) + " " + quoted(source(v, "two.bin")) + " ::/two.bin");
        run("mdel -i " + at(v) + " ::/dir/gap.bin");
        if (fat32) write_bytes(disk, v.offset + 512 + 492, {-1, -1, -1, -1});
        run("mcopy -i " + at(v) + " " + quoted(source(v, "frag.bin")) + " ::/frag.bin");
    }
};

// MBR: FAT12 primary 1, FAT16 logical 5.
void make_mbr_fat_disk(FatDisk& d) {
    make_sparse_file(d.disk, 24 * MiB);
    run("printf 'label: dos\\nstart=2048, size=4096, type=1\\nstart=8192, size=40960, type=5\\n"
        "start=10240, size=32768, type=6\\n' | sfdisk -q " +
        quoted(d.disk));
    d.volumes = {{1, 2048 * 512, 4096 * 512}, {5, 10240 * 512, 32768 * 512}};
    run("mkfs.vfat -F 12 -n SMALL --offset=2048 " + quoted(d.disk) + " 2048");
    run("mkfs.vfat -F 16 -n LOGICAL --offset=10240 " + quoted(d.disk) + " 16384");
    d.fill(d.volumes[0], 1024);
    d.fill(d.volumes[1], 8 * 1024);
}

// GPT: FAT32 partition 1 with 512-byte clusters (so FAT32 fits in 40 MiB).
void make_gpt_fat_disk(FatDisk& d) {
    make_sparse_file(d.disk, 48 * MiB);
    run("sgdisk -n 1:2048:+40M -t 1:0700 " + quoted(d.disk));
    d.volumes = {{1, 2048 * 512, 40 * MiB}};
    run("mkfs.vfat -F 32 -S 512 -s 1 -n BIGFAT --offset=2048 " + quoted(d.disk) + " 40960");
    d.fill(d.volumes[0], 64 * 1024, true);
}

// fsck.fat -v: "      2048 bytes per cluster"
std::uint64_t cluster_size(const std::string& report) {
    const auto at = report.find(" bytes per cluster");
    REQUIRE(at != std::string::npos);
    return std::stoull(report.substr(report.rfind('\n', at) + 1));
}

void check_maps(const FatDisk& d, const DiskLayout& layout) {
    for (const auto& v : d.volumes) {
        const auto& p = partition(layout, v.number);
        CHECK(p.file_system == FileSystemKind::fat);
        CHECK_FALSE(p.whole);
        const auto part = d.dir / "part.img";
        extract(d.disk, v.offset, v.size, part);
        const std::string report = run("fsck.fat -n -v " + quoted(part));
        const std::uint64_t data = number_after(report, "Data area starts at byte ");
        const std::uint64_t cluster = cluster_size(report);
        const std::uint64_t used_clusters = number_after(report, " files, ");
        // Exactly the boot area plus the clusters fsck.fat counts as used.
        CHECK(total_bytes(p.used) == data + used_clusters * cluster);
        // Each file's clusters, as mtools lists them, are in the map.
        for (const auto& name : d.names) {
            const std::string chain = run("mshowfat -i " + d.at(v) + " ::/" + name);
            // mshowfat prints the chain as ranges: <2-10> <15> <20-31>
            int ranges = 0;
            for (std::size_t at = chain.find('<'); at != std::string::npos;
                 at = chain.find('<', at + 1)) {
                std::size_t used = 0;
                const std::uint64_t first = std::stoull(chain.substr(at + 1), &used);
                const std::uint64_t last =
                    chain[at + 1 + used] == '-' ? std::stoull(chain.substr(at + 2 + used)) : first;
                CHECK(inside(p.used, v.offset + data + (first - 2) * cluster,
                             (last - first + 1) * cluster));
                ++ranges;
            }
            CHECK_MESSAGE(ranges >= 1, chain);
            if (name == "frag.bin") CHECK_MESSAGE(ranges >= 2, "not fragmented: " << chain);
        }
    }
}

void check_round_trip(const FatDisk& d, const DiskLayout& layout) {
    const auto copy = d.dir / "copy.img";
    copy_extents(d.disk, copy, stored_extents(layout));
    for (const auto& v : d.volumes) {
        const auto part = d.dir / "copy-part.img";
        extract(copy, v.offset, v.size, part);
        run("fsck.fat -n " + quoted(part));
        for (const auto& name : d.names) {
            const auto out = d.dir / "out.bin";
            run("mcopy -o -i " + quoted(part) + " ::/" + name + " " + quoted(out));
            CHECK_MESSAGE(read_file(out) == read_file(d.source(v, name)), name);
        }
    }
}

}  // namespace

TEST_CASE("FAT12 and FAT16 on MBR: maps match fsck.fat, hold every file, and round-trip") {
    FatDisk d;
    make_mbr_fat_disk(d);
    const auto layout = read_disk_layout(d.disk, {});
    CHECK(partition(layout, 1).label == "SMALL");
    CHECK(partition(layout, 5).label == "LOGICAL");
    check_maps(d, layout);
    check_round_trip(d, layout);
}

TEST_CASE("FAT32 on GPT: map, round trip, and an FSInfo free count that disagrees") {
    FatDisk d;
    make_gpt_fat_disk(d);
    const auto layout = read_disk_layout(d.disk, {});
    const auto& p = partition(layout, 1);
    CHECK(p.label == "BIGFAT");
    CHECK(p.uuid.size() == 9);
    check_maps(d, layout);
    check_round_trip(d, layout);

    // FSInfo is sector 1 of the volume; its free count sits at byte 488.
    const std::uint64_t free_count = d.volumes[0].offset + 512 + 488;
    write_bytes(d.disk, free_count, {5, 0, 0, 0});
    CHECK_THROWS_WITH_AS(read_disk_layout(d.disk, {}),
                         doctest::Contains("partition 1: FAT: FSInfo counts 5 free clusters"),
                         LayoutError);
    // "Unknown" (0xFFFFFFFF) is not a disagreement.
    write_bytes(d.disk, free_count, {-1, -1, -1, -1});
    CHECK_FALSE(read_disk_layout(d.disk, {}).partitions.at(0).whole);
}

TEST_CASE("FAT boot sectors that do not add up are refused") {
    std::vector<std::uint8_t> boot(512);
    boot[11] = 0x00;  // 512 bytes per sector
    boot[12] = 0x02;
    boot[13] = 4;     // sectors per cluster
    boot[14] = 1;     // reserved
    boot[16] = 2;     // FATs
    boot[17] = 0x00;  // 512 root entries
    boot[18] = 0x02;
    boot[19] = 0x00;  // 32768 sectors
    boot[20] = 0x80;
    boot[22] = 32;  // sectors per FAT
    CHECK(parse_fat_boot_sector(boot, 16 * MiB).bits == 16);
    CHECK_THROWS_WITH_AS(parse_fat_boot_sector(boot, 8 * MiB),
                         "FAT: volume of 32768 sectors is larger than the partition", LayoutError);
    boot[22] = 2;
    CHECK_THROWS_WITH_AS(parse_fat_boot_sector(boot, 16 * MiB),
                         doctest::Contains("FAT: FAT of 1024 bytes too small"), LayoutError);
    boot[22] = 32;
    boot[13] = 3;
    CHECK_THROWS_WITH_AS(parse_fat_boot_sector(boot, 16 * MiB), "FAT: sectors per cluster invalid",
                         LayoutError);
}
