// Post-config's file access on any small disk image as NTFS:
// see tests/fuzz/partition_files_fuzz.hpp.
#include "tests/fuzz/partition_files_fuzz.hpp"

// Each NTFS mount allocates and frees about 1.5 MiB; with ASan's default 256 MiB quarantine of
// freed blocks the process passes the 1 GiB RSS limit of the fuzz run after a few hundred inputs
// without holding any of it. 64 MiB keeps it near 110 MiB.
extern "C" const char* __asan_default_options() {
    return "quarantine_size_mb=64";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    castline::fuzz::exercise_partition_files(castline::imager::FileSystemKind::ntfs, data, size);
    return 0;
}
