// Any small disk image (tests/fuzz/sparse_image.hpp) as one NTFS partition: its used-block map is
// read or refused with LayoutError, never a crash, and every used range lies inside the partition.
#include "tests/fuzz/used_blocks_fuzz.hpp"

// libntfs-3g makes many small allocations per mount (runlists grown step by step); ASan's default
// 256 MiB quarantine of freed blocks, which counts only the bytes asked for, then keeps over
// 1 GiB resident, the RSS limit of a fuzz run, without any of it in use. 16 MiB keeps a run near
// 120 MiB and still catches a use right after a free.
extern "C" const char* __asan_default_options() {
    return "quarantine_size_mb=16";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    castline::fuzz::check_used_blocks(data, size, castline::imager::ntfs_used_blocks);
    return 0;
}
