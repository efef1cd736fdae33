// Post-config's file access on any small disk image as NTFS:
// see tests/fuzz/partition_files_fuzz.hpp.
#include "tests/fuzz/partition_files_fuzz.hpp"

// libntfs-3g makes many small allocations per mount (runlists grown step by step); ASan's default
// 256 MiB quarantine of freed blocks, which counts only the bytes asked for, then keeps over
// 1 GiB resident, the RSS limit of a fuzz run, without any of it in use. 16 MiB keeps a run near
// 120 MiB and still catches a use right after a free.
extern "C" const char* __asan_default_options() {
    return "quarantine_size_mb=16";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    castline::fuzz::exercise_partition_files(castline::imager::FileSystemKind::ntfs, data, size);
    return 0;
}
