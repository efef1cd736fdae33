// Any small disk image (tests/fuzz/sparse_image.hpp) as one NTFS partition: its used-block map is
// read or refused with LayoutError, never a crash, and every used range lies inside the partition.
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "imager/used_blocks.hpp"
#include "tests/fuzz/sparse_image.hpp"

// libntfs-3g makes many small allocations per mount (runlists grown step by step); ASan's default
// 256 MiB quarantine of freed blocks, which counts only the bytes asked for, then keeps over
// 1 GiB resident, the RSS limit of a fuzz run, without any of it in use. 16 MiB keeps a run near
// 120 MiB and still catches a use right after a free.
extern "C" const char* __asan_default_options() {
    return "quarantine_size_mb=16";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::imager;
    static castline::fuzz::SparseImage image;
    const std::uint64_t length = image.load(data, size);
    PartitionSource source;
    source.disk = image.path();
    source.length = length;
    source.read = [&](std::uint64_t offset, std::span<std::uint8_t> out) {
        std::memset(out.data(), 0, out.size());
        if (::pread(image.fd(), out.data(), out.size(), static_cast<off_t>(offset)) < 0)
            __builtin_trap();
    };
    try {
        const auto usage = ntfs_used_blocks(source);
        for (const auto& e : usage.used)
            if (e.offset > length || e.length > length - e.offset) __builtin_trap();
    } catch (const LayoutError&) {
    }
    return 0;
}
