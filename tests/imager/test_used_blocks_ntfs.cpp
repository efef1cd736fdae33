// NTFS used-block maps through libntfs-3g, on a volume made by mkntfs and filled by ntfscp,
// placed in a GPT disk file.
#include <sstream>

#include "imager/used_blocks.hpp"
#include "tests/imager/test_disk_layout_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

namespace {

constexpr std::uint64_t offset = 1 * MiB, size = 24 * MiB;

struct NtfsDisk {
    TempDir dir;
    std::filesystem::path disk = dir / "disk.img";
    std::filesystem::path volume = dir / "ntfs.img";
    std::vector<std::string> names{"a.bin", "b.bin", "c.bin"};
    NtfsDisk() {
        make_sparse_file(disk, 32 * MiB);
        run("sgdisk -n 1:2048:+24M -t 1:0700 -n 2:0:0 -t 2:8300 " + quoted(disk));
        make_sparse_file(volume, size);
        run("mkntfs -F -Q -L winvol " + quoted(volume));
        write_random_file(dir / "a.bin", 1 * MiB + 17, 21);
        write_random_file(dir / "b.bin", 3000, 22);  // small enough to stay resident in the MFT
        write_random_file(dir / "c.bin", 5 * MiB, 23);
        for (const auto& name : names)
            run("ntfscp " + quoted(volume) + " " + quoted(dir / name) + " " + name);
        place(volume, disk, offset);
    }
};

}  // namespace

TEST_CASE(
    "NTFS map: exactly ntfsinfo's used clusters plus the backup boot sector; every run inside") {
    NtfsDisk d;
    const auto layout = read_disk_layout(d.disk, {});
    const auto& p = partition(layout, 1);
    CHECK(p.file_system == FileSystemKind::ntfs);
    CHECK_FALSE(p.whole);
    CHECK(p.label == "winvol");
    CHECK(p.uuid.size() == 16);
    CHECK(partition(layout, 2).whole);  // no file system there: stored whole

    const std::string info = run("ntfsinfo -m " + quoted(d.volume));
    const std::uint64_t clusters = number_after(info, "Volume Size in Clusters:");
    const std::uint64_t free = number_after(info, "Free Clusters:");
    const std::uint64_t cluster = number_after(info, "Cluster Size:");
    CHECK(total_bytes(p.used) == (clusters - free) * cluster + 512);
    CHECK(inside(p.used, offset + size - 512, 512));  // backup boot sector

    for (const char* name : {"a.bin", "c.bin"}) {
        const std::string file =
            run("ntfsinfo -v -F " + std::string(name) + " " + quoted(d.volume));
        // Runlist lines: three tabs, then VCN, LCN and length in hex.
        std::istringstream lines(file);
        int runs = 0;
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("\t\t\t0x", 0) != 0) continue;
            std::istringstream fields(line);
            std::string vcn, lcn, length;
            fields >> vcn >> lcn >> length;
            CHECK(inside(p.used, offset + std::stoull(lcn, nullptr, 16) * cluster,
                         std::stoull(length, nullptr, 16) * cluster));
            ++runs;
        }
        CHECK_MESSAGE(runs >= 1, file);
    }
}

TEST_CASE("NTFS round trip: only the mapped bytes rebuild a clean volume with equal files") {
    NtfsDisk d;
    const auto layout = read_disk_layout(d.disk, {});
    const auto copy = d.dir / "copy.img";
    copy_extents(d.disk, copy, stored_extents(layout));
    const auto part = d.dir / "copy-part.img";
    extract(copy, offset, size, part);
    run("ntfsfix -n " + quoted(part));
    for (const auto& name : d.names) {
        const auto out = d.dir / "out.bin";
        run("ntfscat " + quoted(part) + " " + name + " > " + quoted(out));
        CHECK_MESSAGE(read_file(out) == read_file(d.dir / name), name);
    }
}

TEST_CASE("NTFS that libntfs-3g cannot trust is refused, or stored whole on request") {
    NtfsDisk d;
    // The boot sector claims a volume larger than the partition.
    write_bytes(d.disk, offset + 40, {0, 0, 0, 0, 1, 0, 0, 0});
    CHECK_THROWS_WITH_AS(
        read_disk_layout(d.disk, {}),
        doctest::Contains("partition 1: NTFS: boot sector says 4294967296 sectors"), LayoutError);
    // $MFT unreadable: mount fails.
    place(d.volume, d.disk, offset);
    const std::string info = run("ntfsinfo -m " + quoted(d.volume));
    const std::uint64_t mft = number_after(info, "LCN of Data Attribute for FILE_MFT:");
    const std::uint64_t mirror = number_after(info, "LCN of Data Attribute for File_MFTMirr:");
    const std::uint64_t cluster = number_after(info, "Cluster Size:");
    write_bytes(d.disk, offset + mft * cluster, std::vector<char>(8192, 'x'));
    write_bytes(d.disk, offset + mirror * cluster, std::vector<char>(8192, 'x'));
    CHECK_THROWS_WITH_AS(read_disk_layout(d.disk, {}),
                         doctest::Contains("partition 1: NTFS: cannot mount"), LayoutError);
    LayoutOptions fallback;
    fallback.fallback_to_whole = true;
    const auto layout = read_disk_layout(d.disk, fallback);
    CHECK(partition(layout, 1).whole);
    CHECK(partition(layout, 1).file_system == FileSystemKind::ntfs);
    REQUIRE(layout.warnings.size() == 1);
    CHECK(layout.warnings[0].find("stored whole") != std::string::npos);
}

TEST_CASE("NTFS marked dirty (Windows did not shut it down cleanly) is refused") {
    NtfsDisk d;
    const std::string info = run("ntfsinfo -m " + quoted(d.volume));
    const std::uint64_t cluster = number_after(info, "Cluster Size:");
    const std::uint64_t record_size = number_after(info, "MFT Record Size:");
    // $Volume is MFT record 3; $MFTMirr mirrors it, and libntfs-3g compares the two.
    for (const char* lcn_label :
         {"LCN of Data Attribute for FILE_MFT:", "LCN of Data Attribute for File_MFTMirr:"}) {
        const std::uint64_t record =
            offset + number_after(info, lcn_label) * cluster + 3 * record_size;
        auto bytes = read_bytes(d.disk, record, record_size);
        REQUIRE(std::string(bytes.data(), 4) == "FILE");
        const auto u16 = [&](std::size_t at) {
            return static_cast<std::size_t>(static_cast<unsigned char>(bytes[at]) |
                                            static_cast<unsigned char>(bytes[at + 1]) << 8);
        };
        const auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
        bool found = false;
        // Attributes start at the offset in bytes 20-21; $VOLUME_INFORMATION is type 0x70, its
        // resident value holds the volume flags at byte 10.
        for (std::size_t at = u16(20); at + 24 < bytes.size() && u32(at) != 0xFFFFFFFF;
             at += u32(at + 4)) {
            REQUIRE(u32(at + 4) != 0);
            if (u32(at) != 0x70) continue;
            bytes[at + u16(at + 20) + 10] |= 1;
            found = true;
            break;
        }
        REQUIRE(found);
        write_bytes(d.disk, record, bytes);
    }
    CHECK_THROWS_WITH_AS(read_disk_layout(d.disk, {}),
                         doctest::Contains("partition 1: NTFS: volume is marked dirty"),
                         LayoutError);
}
