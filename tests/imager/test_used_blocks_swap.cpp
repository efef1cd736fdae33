// Linux swap: only the header page is kept.
#include <cstring>

#include "imager/used_blocks.hpp"
#include "tests/imager/test_disk_layout_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

TEST_CASE("swap made by mkswap is mapped to its header page, with label and UUID") {
    TempDir dir;
    const auto disk = dir / "disk.img", swap = dir / "swap.img";
    make_sparse_file(disk, 16 * MiB);
    run("printf 'label: dos\\nstart=2048, size=16384, type=82\\n' | sfdisk -q " + quoted(disk));
    make_sparse_file(swap, 8 * MiB);
    const std::string made = run("mkswap -L swappy " + quoted(swap));
    write_random_file(dir / "junk", 8 * MiB - 4096, 31);  // old pages: not worth keeping
    place(swap, disk, 1 * MiB);
    write_bytes(disk, 1 * MiB + 4096, read_file(dir / "junk"));

    const auto layout = read_disk_layout(disk, {});
    const auto& p = partition(layout, 1);
    CHECK(p.file_system == FileSystemKind::swap);
    CHECK_FALSE(p.whole);
    CHECK(p.used == std::vector<Extent>{{1 * MiB, 4096}});
    CHECK(p.label == "swappy");
    CHECK(made.find("UUID=" + p.uuid) != std::string::npos);

    // The header alone is a valid swap area to the kernel's tools.
    const auto copy = dir / "copy.img";
    copy_extents(disk, copy, stored_extents(layout));
    extract(copy, 1 * MiB, 8 * MiB, dir / "copy-swap.img");
    CHECK(run("blkid -p -o value -s TYPE " + quoted(dir / "copy-swap.img")).find("swap") == 0);
}

TEST_CASE("swap header parsing and file system recognition on raw bytes") {
    std::vector<std::uint8_t> page(65536);
    CHECK(detect_file_system(page) == FileSystemKind::unknown);
    CHECK_THROWS_WITH_AS(swap_used_blocks(page), "swap: no swap signature", LayoutError);
    std::memcpy(page.data() + 16384 - 10, "SWAPSPACE2", 10);  // written with 16 KiB pages
    CHECK(detect_file_system(page) == FileSystemKind::swap);
    CHECK(swap_used_blocks(page).used == std::vector<Extent>{{0, 16384}});
    CHECK(detect_file_system(std::span(page).first(100)) == FileSystemKind::unknown);
}
