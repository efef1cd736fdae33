// MBR/EBR and GPT reading on tables written by sfdisk and sgdisk, and the errors for damaged ones.
#include "imager/partition_table.hpp"

#include <cstring>

#include "imager/partition_table_gpt.hpp"
#include "tests/imager/test_disk_layout_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

namespace {

struct Disk {
    std::vector<std::uint8_t> bytes;
    PartitionTable read() const {
        return read_partition_table(
            [this](std::uint64_t at, std::span<std::uint8_t> out) {
                REQUIRE(at + out.size() <= bytes.size());
                std::memcpy(out.data(), bytes.data() + at, out.size());
            },
            bytes.size(), 512);
    }
    std::span<std::uint8_t> sector(std::uint64_t lba) {
        return std::span(bytes).subspan(lba * 512, 512);
    }
};

Disk load(const std::filesystem::path& p) {
    const auto chars = read_file(p);
    return {{chars.begin(), chars.end()}};
}

// sfdisk: two primaries, an extended partition with two logical ones (5, 6).
Disk mbr_disk(const TempDir& dir) {
    const auto path = dir / "mbr.img";
    make_sparse_file(path, 16 * MiB);
    run("printf 'label: dos\\nstart=2048, size=4096, type=83\\nstart=6144, size=2048, type=7\\n"
        "start=8192, size=20480, type=5\\nstart=10240, size=4096, type=c\\n"
        "start=16384, size=4096, type=82\\n' | sfdisk -q " +
        quoted(path));
    return load(path);
}

// sgdisk: three named partitions and a gap before the last.
Disk gpt_disk(const TempDir& dir) {
    const auto path = dir / "gpt.img";
    make_sparse_file(path, 16 * MiB);
    run("sgdisk -n 1:2048:+2M -t 1:8300 -c 1:root -n 2:0:+4M -t 2:0700 -c 2:'data Ü' "
        "-n 3:16384:0 -t 3:8200 -c 3:swap " +
        quoted(path));
    return load(path);
}

void fix_gpt_header_crc(std::span<std::uint8_t> header) {
    put_le32(header, gpt::header_crc, gpt_header_crc(header, le32(header, gpt::header_size)));
}

void fix_gpt_crcs(Disk& disk) {
    auto header = disk.sector(1);
    const std::uint64_t array = std::uint64_t{le32(header, gpt::entry_count)} * 128;
    put_le32(header, gpt::entries_crc,
             crc32_of(std::span(disk.bytes).subspan(le64(header, gpt::entries_lba) * 512, array)));
    fix_gpt_header_crc(header);
}

void expect_error(const Disk& disk, const std::string& message) {
    try {
        disk.read();
        FAIL("no error, expected: " << message);
    } catch (const LayoutError& e) {
        CHECK_MESSAGE(std::string(e.what()).find(message) != std::string::npos, e.what());
    }
}

}  // namespace

TEST_CASE(
    "MBR with an extended partition: primaries by slot, logicals from 5, every EBR is a region") {
    TempDir dir;
    const auto table = mbr_disk(dir).read();
    CHECK(table.kind == TableKind::mbr);
    REQUIRE(table.partitions.size() == 4);
    CHECK(table.partitions[0].number == 1);
    CHECK(table.partitions[0].offset == 2048 * 512);
    CHECK(table.partitions[0].length == 4096 * 512);
    CHECK(table.partitions[0].type == "0x83");
    CHECK(table.partitions[1].number == 2);
    CHECK(table.partitions[1].type == "0x07");
    CHECK(table.partitions[2].number == 5);
    CHECK(table.partitions[2].offset == 10240 * 512);
    CHECK(table.partitions[2].type == "0x0c");
    CHECK(table.partitions[3].number == 6);
    CHECK(table.partitions[3].offset == 16384 * 512);
    CHECK(table.partitions[3].length == 4096 * 512);
    // The MBR, and one EBR per logical partition: at the extended start and before number 6.
    REQUIRE(table.regions.size() == 3);
    CHECK(table.regions[0] == Extent{0, 512});
    CHECK(table.regions[1] == Extent{8192 * 512, 512});
    CHECK(table.regions[2].offset >= 10240 * 512 + 4096 * 512);
    CHECK(table.regions[2].offset < 16384 * 512);
}

TEST_CASE("GPT: partitions, names, type GUIDs and both headers and arrays as regions") {
    TempDir dir;
    const auto table = gpt_disk(dir).read();
    CHECK(table.kind == TableKind::gpt);
    CHECK(table.warnings.empty());
    REQUIRE(table.partitions.size() == 3);
    CHECK(table.partitions[0].name == "root");
    CHECK(table.partitions[0].type == "0FC63DAF-8483-4772-8E79-3D69D8477DE4");
    CHECK(table.partitions[0].offset == 2048 * 512);
    CHECK(table.partitions[0].length == 2 * MiB);
    CHECK(table.partitions[1].name == "data Ü");
    CHECK(table.partitions[1].type == "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
    CHECK(table.partitions[2].number == 3);
    CHECK(table.partitions[2].offset == 16384 * 512);
    const std::uint64_t sectors = 16 * MiB / 512;
    CHECK(table.partitions[2].offset + table.partitions[2].length == (sectors - 33) * 512);
    const std::vector<Extent> expected{{0, 512},
                                       {512, 512},
                                       {1024, 32 * 512},
                                       {(sectors - 33) * 512, 32 * 512},
                                       {(sectors - 1) * 512, 512}};
    CHECK(table.regions == expected);
}

TEST_CASE("a disk without a 0x55AA signature has no table") {
    Disk disk{std::vector<std::uint8_t>(64 * 1024)};
    CHECK(disk.read().kind == TableKind::none);
}

TEST_CASE("a disk that is one NTFS or FAT file system (sector 0 a boot sector) has no table") {
    Disk ntfs{std::vector<std::uint8_t>(64 * 1024)};
    auto boot = ntfs.sector(0);
    boot[0] = 0xEB;
    std::memcpy(&boot[3], "NTFS    ", 8);
    boot[510] = 0x55;
    boot[511] = 0xAA;
    CHECK(ntfs.read().kind == TableKind::none);

    Disk fat{std::vector<std::uint8_t>(64 * 1024)};
    boot = fat.sector(0);
    boot[0] = 0xEB;
    std::memcpy(&boot[82], "FAT32   ", 8);
    // Boot code text where an MBR keeps its partition slots.
    std::memcpy(&boot[446], "Press any key to try again... ", 30);
    boot[510] = 0x55;
    boot[511] = 0xAA;
    CHECK(fat.read().kind == TableKind::none);

    // A real MBR whose boot code happens to contain such a name keeps its partition.
    std::memset(&boot[446], 0, 64);
    boot[446 + 0] = 0x80;
    boot[446 + 4] = 0x83;
    boot[446 + 8] = 1;    // first LBA 1
    boot[446 + 12] = 16;  // 16 sectors
    const auto table = fat.read();
    CHECK(table.kind == TableKind::mbr);
    CHECK(table.partitions.size() == 1);
}

TEST_CASE("damaged GPTs are refused, naming the header and the problem") {
    TempDir dir;
    const Disk good = gpt_disk(dir);

    SUBCASE("header CRC") {
        Disk d = good;
        d.sector(1)[gpt::first_usable] ^= 1;
        expect_error(d, "GPT header at LBA 1: header CRC mismatch");
    }
    SUBCASE("entry array CRC") {
        Disk d = good;
        d.sector(2)[40] ^= 0x80;
        expect_error(d, "GPT header at LBA 1: entry array CRC mismatch");
    }
    SUBCASE("entry count out of range") {
        Disk d = good;
        put_le32(d.sector(1), gpt::entry_count, 100000);
        fix_gpt_header_crc(d.sector(1));
        expect_error(d, "GPT header at LBA 1: entry count 100000 out of range");
    }
    SUBCASE("entry size out of range") {
        Disk d = good;
        put_le32(d.sector(1), gpt::entry_size, 100);
        fix_gpt_header_crc(d.sector(1));
        expect_error(d, "GPT header at LBA 1: entry size 100 out of range");
    }
    SUBCASE("header size out of range") {
        Disk d = good;
        put_le32(d.sector(1), gpt::header_size, 1000);
        expect_error(d, "GPT header at LBA 1: header size 1000 out of range");
    }
    SUBCASE("entry array placed over the partitions") {
        Disk d = good;
        put_le64(d.sector(1), gpt::entries_lba, 4000);
        fix_gpt_header_crc(d.sector(1));
        expect_error(d, "GPT header at LBA 1: entry array at LBA 4000");
    }
    SUBCASE("usable range past the disk end") {
        Disk d = good;
        put_le64(d.sector(1), gpt::last_usable, 1u << 30);
        fix_gpt_header_crc(d.sector(1));
        expect_error(d, "does not fit the disk of 32768 sectors");
    }
    SUBCASE("a partition outside the usable range") {
        Disk d = good;
        put_le64(d.sector(2), 128 + 40, 40000);  // entry 2's last LBA
        fix_gpt_crcs(d);
        expect_error(d, "partition 2 (LBA 6144..40000) lies outside the usable range");
    }
    SUBCASE("overlapping partitions") {
        Disk d = good;
        put_le64(d.sector(2), 128 + 32, 3000);  // entry 2 now starts inside entry 1
        fix_gpt_crcs(d);
        expect_error(d, "partition 2: overlaps partition 1 at byte 1536000");
    }
    SUBCASE("a damaged backup is only a warning") {
        Disk d = good;
        d.sector(32767)[gpt::my_lba] ^= 1;
        const auto table = d.read();
        CHECK(table.partitions.size() == 3);
        REQUIRE(table.warnings.size() == 1);
        CHECK(table.warnings[0].find("GPT header at LBA 32767: header CRC mismatch") !=
              std::string::npos);
    }
}

TEST_CASE("damaged MBRs and EBR chains are refused, naming the problem") {
    TempDir dir;
    const Disk good = mbr_disk(dir);
    const std::size_t slot1 = 446, slot2 = 446 + 16;

    SUBCASE("a partition past the disk end") {
        Disk d = good;
        d.sector(0)[446 + 32 + 4] = 0;  // without the extended partition in the way
        put_le32(d.sector(0), slot1 + 12, 40000);
        expect_error(d, "partition 1: ends at byte 21528576, past the disk end at 16777216");
    }
    SUBCASE("overlapping primaries") {
        Disk d = good;
        put_le32(d.sector(0), slot2 + 8, 4000);
        expect_error(d, "partition 2: overlaps partition 1 at byte 2048000");
    }
    SUBCASE("a partition over the MBR itself") {
        Disk d = good;
        put_le32(d.sector(0), slot1 + 8, 0);
        expect_error(d, "partition 1: overlaps the partition table at byte 0");
    }
    SUBCASE("an EBR chain that loops") {
        Disk d = good;
        // The second EBR links back to the first (offset 0 from the extended start).
        const auto table = good.read();
        const std::uint64_t second_ebr = table.regions[2].offset / 512;
        auto ebr = d.sector(second_ebr);
        ebr[slot2 + 4] = 0x05;
        put_le32(ebr, slot2 + 8, 0);
        put_le32(ebr, slot2 + 12, 2048);
        expect_error(d, "EBR at LBA 8192: chain loops back to itself");
    }
    SUBCASE("an EBR without its signature") {
        Disk d = good;
        d.sector(8192)[511] = 0;
        expect_error(d, "EBR at LBA 8192: missing 0x55AA signature");
    }
    SUBCASE("an EBR link outside the extended partition") {
        Disk d = good;
        put_le32(d.sector(8192), slot2 + 8, 900000);
        expect_error(d, "EBR chain: link to LBA 908192 points outside the extended partition");
    }
    SUBCASE("an extended partition past the disk end") {
        Disk d = good;
        put_le32(d.sector(0), 446 + 32 + 12, 9000000);
        expect_error(d, "extended partition LBA 8192..LBA 9008192 is outside the disk");
    }
}

TEST_CASE("GPT written through 4096-byte sectors (a 4Kn disk): read from the file and the device") {
    TempDir dir;
    const auto path = dir / "4kn.img";
    make_sparse_file(path, 16 * MiB);
    // A loop device with 4 KiB logical sectors makes sgdisk write a real 4Kn GPT into the file.
    std::string device = run("losetup -b 4096 -f --show " + quoted(path));
    device.erase(device.find_last_not_of("\n") + 1);
    struct Detach {
        std::string device;
        ~Detach() { [[maybe_unused]] const int rc = std::system(("losetup -d " + device).c_str()); }
    } detach{device};
    run("sgdisk -n 1:0:+4M -c 1:first -n 2:0:0 " + device);

    const auto from_device = read_disk_layout(device, {});
    CHECK(from_device.sector_size == 4096);
    CHECK(from_device.table == TableKind::gpt);
    REQUIRE(from_device.partitions.size() == 2);
    CHECK(from_device.partitions[0].offset == 256 * 4096);  // sgdisk aligns to 1 MiB
    CHECK(from_device.partitions[0].length == 4 * MiB);
    CHECK(from_device.partitions[0].name == "first");

    const auto table = load(path).read();  // the same bytes, offered with 512-byte sectors
    CHECK(table.sector_size == 4096);
    CHECK(table.warnings.empty());
    REQUIRE(table.partitions.size() == 2);
    CHECK(table.partitions[1].offset == from_device.partitions[1].offset);
    CHECK(table.partitions[1].length == from_device.partitions[1].length);
    CHECK(table.regions.front() == Extent{0, 4096});
    CHECK(table.regions.back() == Extent{16 * MiB - 4096, 4096});
}
