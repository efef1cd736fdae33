// Post-config's file access on any small disk image as ext2/3/4:
// see tests/fuzz/partition_files_fuzz.hpp.
#include "tests/fuzz/partition_files_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    castline::fuzz::exercise_partition_files(castline::imager::FileSystemKind::ext, data, size);
    return 0;
}
