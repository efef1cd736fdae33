#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/split_file_set.hpp"
#include "imager_test_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

TEST_CASE("a stream split into parts reads back across part boundaries") {
    TempDir dir;
    const auto first = dir / "x.cimg";
    const auto data = random_bytes(2500, 1);
    {
        SplitWriter w(first, 1000);
        w.append({data.data(), 10});
        w.append({data.data() + 10, data.size() - 10});
        const std::uint8_t start[3] = {data[0], data[1], data[2]};
        w.write_start(start);
        w.finish();
        CHECK(w.part_count() == 3);
    }
    CHECK(std::filesystem::file_size(first) == 1000);
    CHECK(std::filesystem::file_size(part_path(first, 1)) == 1000);
    CHECK(std::filesystem::file_size(part_path(first, 2)) == 500);
    CHECK(part_path(first, 2).filename() == "x.cimg.2");
    SplitReader r(first);
    r.open_parts(2500, 1000);
    std::vector<std::uint8_t> middle(1500);
    r.read_exact(600, middle);
    CHECK(std::equal(middle.begin(), middle.end(), data.begin() + 600));
    CHECK_THROWS_AS(r.read_exact(2000, middle), ImagerError);
}

TEST_CASE("a missing or short part is reported by name") {
    TempDir dir;
    const auto first = dir / "y.cimg";
    const auto data = random_bytes(3000, 2);
    {
        SplitWriter w(first, 1000);
        w.append(data);
        w.finish();
    }
    std::filesystem::rename(part_path(first, 1), dir / "aside");
    {
        SplitReader r(first);
        CHECK_THROWS_WITH_AS(r.open_parts(3000, 1000),
                             doctest::Contains("y.cimg.1 is missing (part 2 of 3)"), ImagerError);
    }
    std::filesystem::rename(dir / "aside", part_path(first, 1));
    std::filesystem::resize_file(part_path(first, 2), 999);
    SplitReader r(first);
    CHECK_THROWS_WITH_AS(r.open_parts(3000, 1000),
                         doctest::Contains("y.cimg.2 has 999 bytes, expected 1000"), ImagerError);
}

TEST_CASE("writing a shorter image removes stale parts of an older one") {
    TempDir dir;
    const auto first = dir / "z.cimg";
    {
        SplitWriter w(first, 1000);
        w.append(random_bytes(4500, 3));
        w.finish();
    }
    CHECK(std::filesystem::exists(part_path(first, 4)));
    {
        SplitWriter w(first, 1000);
        w.append(random_bytes(1500, 4));
        w.finish();
    }
    CHECK(std::filesystem::exists(part_path(first, 1)));
    CHECK_FALSE(std::filesystem::exists(part_path(first, 2)));
    CHECK_FALSE(std::filesystem::exists(part_path(first, 4)));
}

TEST_CASE("a stream of many appends reads back whole, staged or not, with its start rewritten") {
    // Aligned part sizes (and no split) take the direct, staged path where the file system
    // allows it, flushed in the background every 32 MiB; 1000-byte parts the buffered one. Both
    // must store the same bytes.
    TempDir dir;
    const auto data = random_bytes((40 << 20) + 123, 3);
    for (const std::uint64_t split :
         {std::uint64_t{0}, std::uint64_t{3} << 20, std::uint64_t{1000}}) {
        const std::size_t large = split == 1000 ? (10 << 20) + 123 : data.size();
        for (const std::size_t size : {std::size_t{700}, large}) {
            const auto first = dir / ("s" + std::to_string(split) + "-" + std::to_string(size));
            std::vector<std::uint8_t> expected(data.begin(), data.begin() + size);
            {
                SplitWriter w(first, split);
                std::size_t at = 0, step = 1;
                while (at < size) {  // pieces of growing, unaligned sizes
                    const auto n = std::min(step, size - at);
                    w.append({data.data() + at, n});
                    at += n;
                    step = step * 3 + 1;
                }
                const std::vector<std::uint8_t> start(512, 0xA5);
                w.write_start(start);
                std::copy(start.begin(), start.end(), expected.begin());
                CHECK(w.length() == size);
                w.finish();
            }
            SplitReader r(first);
            r.open_parts(size, split);
            std::vector<std::uint8_t> back(size);
            r.read_exact(0, back);
            CHECK_MESSAGE(back == expected, "split " << split << ", " << size << " bytes");
        }
    }
}

TEST_CASE("the part count of a huge claimed length does not wrap") {
    CHECK(part_file_count(0, 0) == 1);
    CHECK(part_file_count(2500, 1000) == 3);
    CHECK(part_file_count(3000, 1000) == 3);
    CHECK(part_file_count(UINT64_MAX, 1 << 20) == std::uint64_t{1} << 44);
    TempDir dir;
    const auto first = dir / "w.cimg";
    write_file(first, random_bytes(1 << 20, 3));
    SplitReader r(first);
    // A header claiming 2^64-1 bytes in 1 MiB parts: the first part is whole, the second absent.
    CHECK_THROWS_WITH_AS(r.open_parts(UINT64_MAX, 1 << 20),
                         doctest::Contains("w.cimg.1 is missing (part 2 of 17592186044416)"),
                         ImagerError);
}
