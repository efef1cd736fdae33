// Any bytes as an image header and as a chunk header: refused with ImagerError(bad_image) or
// accepted, never a crash.
#include <cstdint>
#include <span>

#include "imager/errors.hpp"
#include "imager/image_header.hpp"
#include "imager/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::imager;
    try {
        const auto header = parse_header({data, size});
        if (serialize_header(header).size() != kHeaderSize) __builtin_trap();
    } catch (const ImagerError& e) {
        if (e.code != ExitCode::bad_image) __builtin_trap();
    }
    try {
        parse_chunk_header({data, size}, size > 12 ? data[8] : 0);
    } catch (const ImagerError& e) {
        if (e.code != ExitCode::bad_image) __builtin_trap();
    }
    return 0;
}
