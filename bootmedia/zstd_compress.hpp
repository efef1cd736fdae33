#pragma once
#include <string>
#include <string_view>

namespace castline::bootmedia {

// One zstd frame of `data`, with a content checksum, made single-threaded at a fixed level so
// that the same input and libzstd version always give the same bytes. The kernel's initramfs
// unpacker reads it (CONFIG_RD_ZSTD). Throws BootmediaError on a libzstd error.
std::string zstd_compress(std::string_view data, int level);

}  // namespace castline::bootmedia
