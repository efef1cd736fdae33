// Any small disk image (tests/fuzz/sparse_image.hpp) as one ext2/3/4 partition: its used-block map
// is read or refused with LayoutError, never a crash, and every used range lies inside the
// partition.
#include "tests/fuzz/used_blocks_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    castline::fuzz::check_used_blocks(data, size, castline::imager::ext_used_blocks);
    return 0;
}
