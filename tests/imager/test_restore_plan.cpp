#include <doctest/doctest.h>

#include <cstring>

#include "imager/errors.hpp"
#include "imager/partition_table.hpp"
#include "imager/partition_table_gpt.hpp"
#include "imager/restore_plan.hpp"

using namespace castline::imager;

namespace {
Manifest two_partitions() {
    Manifest m;
    m.disk_size = 100 << 20;
    m.table = TableKind::mbr;
    m.table_regions = {{0, std::vector<std::uint8_t>(512, 1)}};
    Partition a;
    a.number = 1;
    a.offset = 1 << 20;
    a.length = 40 << 20;
    a.file_system = FileSystemKind::fat;
    a.label = "EFI";
    a.used = {{1 << 20, 1 << 20}};
    Partition b = a;
    b.number = 2;
    b.offset = 41 << 20;
    b.length = 59 << 20;
    b.file_system = FileSystemKind::ext;
    b.label = "data";
    b.used = {{41 << 20, 1 << 20}, {80 << 20, 1 << 20}};
    m.partitions = {a, b};
    ChunkEntry c;
    c.pieces = {{1 << 20, 1 << 20}, {41 << 20, 1 << 20}, {80 << 20, 1 << 20}};
    c.plain_length = 3 << 20;
    m.chunks = {c};
    return m;
}
}  // namespace

TEST_CASE("every partition must fit whole; a short target names the first that does not") {
    const auto m = two_partitions();
    // Partition 2 holds data only up to 81 MiB but runs to the disk's end: its file system is
    // that large, so the target must be too.
    const auto need = minimum_target_size(m);
    CHECK(need.bytes == 100 << 20);
    CHECK(need.reason == "partition 2 (ext 'data') ends at byte 104857600");
    CHECK_NOTHROW(check_target_fits(m, 100 << 20));
    CHECK_THROWS_WITH_AS(check_target_fits(m, (100 << 20) - 1),
                         "target too small: it has 100.0 MiB (104857599 bytes); partition 2 (ext "
                         "'data') ends at byte 104857600, past the target's end; the smallest "
                         "target this image fits on has 100.0 MiB (104857600 bytes)",
                         ImagerError);
    CHECK_THROWS_WITH_AS(check_target_fits(m, 30 << 20),
                         doctest::Contains("partition 1 (fat 'EFI') ends at byte 42991616"),
                         ImagerError);
    try {
        check_target_fits(m, 60 << 20);
    } catch (const ImagerError& e) {
        CHECK(e.code == ExitCode::target_too_small);
    }
}

TEST_CASE("tables and partition heads are deferred; raw images defer both disk ends") {
    auto m = two_partitions();
    const auto d = deferred_ranges(m, m.disk_size);
    REQUIRE(d.size() == 3);
    CHECK(d[0] == Extent{0, 512});
    CHECK(d[1] == Extent{1 << 20, kPartitionHeadSize});
    CHECK(d[2] == Extent{41 << 20, kPartitionHeadSize});
    m.partitions.clear();
    m.table_regions.clear();
    const auto raw = deferred_ranges(m, m.disk_size);
    REQUIRE(raw.size() == 2);
    CHECK(raw[0] == Extent{0, kPartitionHeadSize});
    CHECK(raw[1] == Extent{m.disk_size - kPartitionHeadSize, kPartitionHeadSize});
    // On a smaller target the tail range is clipped away.
    const auto clipped = deferred_ranges(m, 50 << 20);
    CHECK(clipped.size() == 1);
}

TEST_CASE("a GPT backup counts by its size only, and is left to relocation") {
    Manifest m;
    m.disk_size = 100 << 20;
    m.table = TableKind::gpt;
    m.table_regions = {{0, std::vector<std::uint8_t>(17408, 1)},
                       {(100 << 20) - 16896, std::vector<std::uint8_t>(16896, 2)}};
    // No partitions: the image's structure is unknown, so it needs the whole disk.
    CHECK(minimum_target_size(m).bytes == 100 << 20);
    std::vector<std::string> warnings;
    CHECK(table_for_target(m, m.disk_size, warnings).size() == 2);
    CHECK(warnings.empty());
    CHECK(table_for_target(m, 200 << 20, warnings).size() == 1);
    CHECK(warnings.empty());  // TargetWriter::finish rebuilds it with relocate_gpt_file
}

namespace {
constexpr std::uint64_t kSector = 512;

// A GPT disk of `sectors` sectors as capture stores it: protective MBR, primary header and
// 128-entry array in one region, backup array and header in another; one partition per
// (first, last) LBA pair, each with an ext file system whose used data ends at `used_end`.
Manifest gpt_manifest(std::uint64_t sectors,
                      std::vector<std::pair<std::uint64_t, std::uint64_t>> lbas,
                      std::uint64_t used_end) {
    std::vector<std::uint8_t> entries(128 * 128);
    for (std::size_t i = 0; i < lbas.size(); ++i) {
        const std::span<std::uint8_t> e(entries.data() + i * 128, 128);
        e[0] = 0xAF;  // a non-zero type GUID: the entry is in use
        e[16] = static_cast<std::uint8_t>(i + 1);
        put_le64(e, 32, lbas[i].first);
        put_le64(e, 40, lbas[i].second);
    }
    std::vector<std::uint8_t> header(kSector);
    std::memcpy(header.data(), "EFI PART", 8);
    put_le32(header, gpt::revision, 0x00010000);
    put_le32(header, gpt::header_size, 92);
    put_le64(header, gpt::my_lba, 1);
    put_le64(header, gpt::alternate_lba, sectors - 1);
    put_le64(header, gpt::first_usable, 34);
    put_le64(header, gpt::last_usable, sectors - 34);
    put_le64(header, gpt::entries_lba, 2);
    put_le32(header, gpt::entry_count, 128);
    put_le32(header, gpt::entry_size, 128);
    put_le32(header, gpt::entries_crc, crc32_of(entries));
    put_le32(header, gpt::header_crc, gpt_header_crc(header, 92));
    std::vector<std::uint8_t> mbr(kSector);
    mbr[446 + 4] = 0xEE;
    put_le32(mbr, 446 + 8, 1);
    put_le32(mbr, 446 + 12, static_cast<std::uint32_t>(sectors - 1));
    mbr[510] = 0x55;
    mbr[511] = 0xAA;
    auto backup = header;
    put_le64(backup, gpt::my_lba, sectors - 1);
    put_le64(backup, gpt::alternate_lba, 1);
    put_le64(backup, gpt::entries_lba, sectors - 33);
    put_le32(backup, gpt::header_crc, gpt_header_crc(backup, 92));

    Manifest m;
    m.disk_size = sectors * kSector;
    m.table = TableKind::gpt;
    TableRegion primary{0, mbr};
    primary.bytes.insert(primary.bytes.end(), header.begin(), header.end());
    primary.bytes.insert(primary.bytes.end(), entries.begin(), entries.end());
    TableRegion tail{(sectors - 33) * kSector, entries};
    tail.bytes.insert(tail.bytes.end(), backup.begin(), backup.end());
    m.table_regions = {primary, tail};
    for (std::size_t i = 0; i < lbas.size(); ++i) {
        Partition p;
        p.number = static_cast<int>(i + 1);
        p.offset = lbas[i].first * kSector;
        p.length = (lbas[i].second - lbas[i].first + 1) * kSector;
        p.file_system = FileSystemKind::ext;
        p.used = {{p.offset, std::min(p.length, used_end - p.offset)}};
        m.partitions.push_back(p);
    }
    ChunkEntry c;
    c.pieces = {{1 << 20, used_end - (1 << 20)}};
    c.plain_length = static_cast<std::uint32_t>(used_end - (1 << 20));
    m.chunks = {c};
    return m;
}
}  // namespace

TEST_CASE("GPT: the last partition and the relocated backup must fit before anything is written") {
    // The reported disk: 64 MiB, partition 2 up to the last usable sector, data up to 40 MiB.
    const std::uint64_t sectors = (64 << 20) / kSector;
    const auto m = gpt_manifest(sectors, {{2048, 18431}, {18432, sectors - 34}}, 40 << 20);
    const auto need = minimum_target_size(m);
    CHECK(need.bytes == 64 << 20);
    CHECK(need.reason ==
          "partition 2 (ext) ends at byte 67091968, and the backup GPT (16896 bytes) follows it");
    CHECK_THROWS_WITH_AS(check_target_fits(m, 60 << 20),
                         "target too small: it has 60.0 MiB (62914560 bytes); partition 2 (ext) "
                         "ends at byte 67091968, past the target's end; the smallest target this "
                         "image fits on has 64.0 MiB (67108864 bytes)",
                         ImagerError);
    // The partition fits one sector short of the end, the backup behind it does not.
    CHECK_THROWS_WITH_AS(
        check_target_fits(m, (64 << 20) - kSector),
        doctest::Contains("; partition 2 (ext) ends at byte 67091968, and the backup GPT (16896 "
                          "bytes) follows it; the smallest target"),
        ImagerError);
    CHECK_NOTHROW(check_target_fits(m, 64 << 20));
    CHECK_NOTHROW(check_target_fits(m, 1 << 30));  // relocation to a larger disk is planned

    // A last partition that ends early lets a smaller target take the image.
    const auto early = gpt_manifest(sectors, {{2048, 18431}, {18432, 100000}}, 40 << 20);
    CHECK(minimum_target_size(early).bytes == (100001 + 33) * kSector);
    CHECK_NOTHROW(check_target_fits(early, (100001 + 33) * kSector));
    CHECK_THROWS_AS(check_target_fits(early, (100001 + 32) * kSector), ImagerError);
}

TEST_CASE("GPT: a damaged primary table is refused before writing when it would have to move") {
    const std::uint64_t sectors = (64 << 20) / kSector;
    auto m = gpt_manifest(sectors, {{2048, 100000}}, 40 << 20);
    m.table_regions[0].bytes[kSector + 60] ^= 1;       // in the disk GUID: the header CRC fails
    CHECK_NOTHROW(check_target_fits(m, m.disk_size));  // the same size: nothing moves
    try {
        check_target_fits(m, 128 << 20);
        FAIL("a GPT that cannot be moved was accepted");
    } catch (const ImagerError& e) {
        CHECK(e.code == ExitCode::bad_image);
        CHECK(std::string(e.what()).find("GPT header at LBA 1: header CRC mismatch") !=
              std::string::npos);
    }
}

TEST_CASE("MBR: a logical partition and the extended partition must end inside the target") {
    // 100 MiB: partition 1 at 1 MiB (8 MiB), the extended partition from 9 MiB to the end, an
    // EBR at its start and logical partition 5 behind it up to the disk's end; ext3 in 5 whose
    // used blocks end well before it.
    const std::uint64_t sectors = (100 << 20) / kSector;
    std::vector<std::uint8_t> mbr(kSector), ebr(kSector);
    mbr[446 + 4] = 0x83;
    put_le32(mbr, 446 + 8, 2048);
    put_le32(mbr, 446 + 12, 16384);
    mbr[462 + 4] = 0x05;
    put_le32(mbr, 462 + 8, 18432);
    put_le32(mbr, 462 + 12, static_cast<std::uint32_t>(sectors - 18432));
    ebr[446 + 4] = 0x83;
    put_le32(ebr, 446 + 8, 2048);
    put_le32(ebr, 446 + 12, static_cast<std::uint32_t>(sectors - 18432 - 2048));
    mbr[510] = ebr[510] = 0x55;
    mbr[511] = ebr[511] = 0xAA;
    Manifest m;
    m.disk_size = sectors * kSector;
    m.table = TableKind::mbr;
    m.table_regions = {{0, mbr}, {18432 * kSector, ebr}};
    Partition one;
    one.number = 1;
    one.offset = 2048 * kSector;
    one.length = 16384 * kSector;
    one.file_system = FileSystemKind::fat;
    one.used = {{one.offset, 1 << 20}};
    Partition five;
    five.number = 5;
    five.offset = (18432 + 2048) * kSector;
    five.length = m.disk_size - five.offset;
    five.file_system = FileSystemKind::ext;
    five.label = "data";
    five.used = {{five.offset, 20 << 20}};
    m.partitions = {one, five};
    ChunkEntry c;
    c.pieces = {{five.offset, 20 << 20}};
    c.plain_length = 20 << 20;
    m.chunks = {c};

    CHECK(minimum_target_size(m).bytes == m.disk_size);
    CHECK_THROWS_WITH_AS(check_target_fits(m, m.disk_size - kSector),
                         "target too small: it has 100.0 MiB (104857088 bytes); partition 5 (ext "
                         "'data') ends at byte 104857600, past the target's end; the smallest "
                         "target this image fits on has 100.0 MiB (104857600 bytes)",
                         ImagerError);
    CHECK_NOTHROW(check_target_fits(m, m.disk_size));

    // The extended partition may run on past its last logical partition; the table describes
    // that space, so the target must have it too.
    m.partitions[1].length -= 4 << 20;
    const auto need = minimum_target_size(m);
    CHECK(need.bytes == m.disk_size);
    CHECK(need.reason == "the extended partition ends at byte 104857600");
    CHECK_THROWS_WITH_AS(check_target_fits(m, m.disk_size - (1 << 20)),
                         doctest::Contains("; the extended partition ends at byte 104857600; the "
                                           "smallest target this image fits on has 100.0 MiB"),
                         ImagerError);
}

TEST_CASE("subtracting ranges") {
    const std::vector<Extent> ranges = {{0, 100}, {200, 100}};
    const std::vector<Extent> cut = {{50, 10}, {90, 150}};
    const auto out = subtract_ranges(ranges, cut);
    REQUIRE(out.size() == 3);
    CHECK(out[0] == Extent{0, 50});
    CHECK(out[1] == Extent{60, 30});
    CHECK(out[2] == Extent{240, 60});
}
