// Moving the backup GPT to the end of a larger disk, checked by sgdisk -v and by our own reader.
#include "imager/gpt_relocate.hpp"

#include <cstring>

#include "imager/partition_table.hpp"
#include "imager/partition_table_gpt.hpp"
#include "tests/imager/test_disk_layout_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

namespace {

std::filesystem::path gpt_disk(const TempDir& dir, std::uint64_t size) {
    const auto path = dir / "small.img";
    make_sparse_file(path, size);
    run("sgdisk -n 1:2048:+2M -c 1:one -n 2:0:0 -t 2:0700 -c 2:two " + quoted(path));
    return path;
}

PartitionTable read_table(const std::filesystem::path& disk) {
    const auto bytes = read_file(disk);
    return read_partition_table(
        [&](std::uint64_t at, std::span<std::uint8_t> out) {
            std::memcpy(out.data(), bytes.data() + at, out.size());
        },
        bytes.size(), 512);
}

bool sgdisk_clean(const std::filesystem::path& disk) {
    const std::string report = run("sgdisk -v " + quoted(disk));
    INFO(report);
    return report.find("No problems found") != std::string::npos;
}

}  // namespace

TEST_CASE(
    "relocate_gpt_file: a GPT copied onto a larger disk is valid there, partitions unchanged") {
    TempDir dir;
    const auto small = gpt_disk(dir, 8 * MiB);
    const auto before = read_table(small);
    const auto big = dir / "big.img";
    std::filesystem::copy_file(small, big);
    std::filesystem::resize_file(big, 24 * MiB);
    CHECK_FALSE(sgdisk_clean(big));  // the backup is in the middle of the disk now

    relocate_gpt_file(big);
    CHECK(sgdisk_clean(big));
    const auto after = read_table(big);
    CHECK(after.warnings.empty());
    REQUIRE(after.partitions.size() == before.partitions.size());
    for (std::size_t i = 0; i < after.partitions.size(); ++i) {
        CHECK(after.partitions[i].offset == before.partitions[i].offset);
        CHECK(after.partitions[i].length == before.partitions[i].length);
        CHECK(after.partitions[i].name == before.partitions[i].name);
    }
    const std::uint64_t sectors = 24 * MiB / 512;
    CHECK(after.regions.back() == Extent{(sectors - 1) * 512, 512});
    // The stale backup header in the middle of the disk no longer reads as one.
    const auto old_backup = read_bytes(big, 8 * MiB - 512, 8);
    CHECK(std::string(old_backup.begin(), old_backup.end()) != "EFI PART");
    // sgdisk sees the new free space at the end.
    CHECK(run("sgdisk -E " + quoted(big)).find(std::to_string(sectors - 34)) != std::string::npos);
}

TEST_CASE("relocate_gpt (pure): fields, CRCs and refusals") {
    TempDir dir;
    const auto disk = gpt_disk(dir, 8 * MiB);
    const auto bytes = read_file(disk);
    const std::vector<std::uint8_t> mbr(bytes.begin(), bytes.begin() + 512);
    const std::vector<std::uint8_t> header(bytes.begin() + 512, bytes.begin() + 1024);
    const std::vector<std::uint8_t> entries(bytes.begin() + 1024, bytes.begin() + 1024 + 16384);

    const auto r = relocate_gpt(mbr, header, entries, 16 * MiB, 512);
    const std::uint64_t sectors = 16 * MiB / 512;
    CHECK(r.backup_header_lba == sectors - 1);
    CHECK(r.backup_entries_lba == sectors - 33);
    CHECK(r.last_usable_lba == sectors - 34);
    const auto primary = parse_gpt_header(r.primary_header, 1, sectors, 512);
    CHECK(primary.alternate_lba == sectors - 1);
    CHECK(primary.last_usable == sectors - 34);
    const auto backup = parse_gpt_header(r.backup_header, sectors - 1, sectors, 512);
    CHECK(backup.alternate_lba == 1);
    CHECK(backup.entries_lba == sectors - 33);
    CHECK(le32(r.protective_mbr, 446 + 12) == sectors - 1);

    SUBCASE("a disk too small for the last partition") {
        CHECK_THROWS_WITH_AS(relocate_gpt(mbr, header, entries, 6 * MiB, 512),
                             doctest::Contains("partition 2 ends at LBA"), LayoutError);
    }
    SUBCASE("a damaged entry array") {
        auto bad = entries;
        bad[200] ^= 1;
        CHECK_THROWS_WITH_AS(relocate_gpt(mbr, header, bad, 16 * MiB, 512),
                             "GPT header at LBA 1: entry array CRC mismatch", LayoutError);
    }
    SUBCASE("not a GPT header") {
        CHECK_THROWS_WITH_AS(relocate_gpt(mbr, mbr, entries, 16 * MiB, 512),
                             "GPT header at LBA 1: no \"EFI PART\" signature", LayoutError);
    }
}
