#pragma once
// One fuzz input as one partition's file system (tests/fuzz/sparse_image.hpp), read by a used-block
// reader: the map is read or refused with LayoutError, never a crash, and every used range lies
// inside the partition.
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "imager/used_blocks.hpp"
#include "tests/fuzz/sparse_image.hpp"

namespace castline::fuzz {

template <class UsedBlocks>
void check_used_blocks(const std::uint8_t* data, std::size_t size, UsedBlocks used_blocks) {
    using namespace castline::imager;
    static SparseImage image;
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
        const auto usage = used_blocks(source);
        for (const auto& e : usage.used)
            if (e.offset > length || e.length > length - e.offset) __builtin_trap();
    } catch (const LayoutError&) {
    }
}

}  // namespace castline::fuzz
