#include <doctest/doctest.h>

#include "imager/errors.hpp"
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

TEST_CASE("the required size is the last used byte, and a short target names the partition") {
    const auto m = two_partitions();
    CHECK(required_target_size(m) == 81 << 20);
    CHECK_NOTHROW(check_target_fits(m, 81 << 20));
    CHECK_THROWS_WITH_AS(check_target_fits(m, 60 << 20),
                         "target too small: it has 62914560 bytes; partition 2 (ext 'data') needs "
                         "84934656 (its last used byte)",
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

TEST_CASE("a GPT backup does not count toward the required size and is left to relocation") {
    Manifest m;
    m.disk_size = 100 << 20;
    m.table = TableKind::gpt;
    m.table_regions = {{0, std::vector<std::uint8_t>(17408, 1)},
                       {(100 << 20) - 16896, std::vector<std::uint8_t>(16896, 2)}};
    CHECK(required_target_size(m) == 17408);
    std::vector<std::string> warnings;
    CHECK(table_for_target(m, m.disk_size, warnings).size() == 2);
    CHECK(warnings.empty());
    CHECK(table_for_target(m, 200 << 20, warnings).size() == 1);
    CHECK(warnings.empty());  // TargetWriter::finish rebuilds it with relocate_gpt_file
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
