// Any bytes as an image manifest: the parser must return a manifest or throw ImagerError
// (bad_image) with a message, never crash, overrun or allocate without bound.
#include <cstdint>
#include <span>

#include "imager/errors.hpp"
#include "imager/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::imager;
    try {
        const auto manifest = parse_manifest({data, size});
        // What parses must serialize back to a manifest that parses the same.
        const auto again = parse_manifest(serialize_manifest(manifest));
        if (again.chunks != manifest.chunks) __builtin_trap();
    } catch (const ImagerError& e) {
        if (e.code != ExitCode::bad_image || e.what()[0] == '\0') __builtin_trap();
    }
    return 0;
}
