// Any bytes as the manifest of an image session: decoded into header and manifest, or refused
// with a message; a decoded frame encodes back to the same bytes.
#include <cstdint>
#include <span>
#include <variant>

#include "imagecast/image_framing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::imagecast;
    const auto decoded = decode_image_frame({data, size});
    if (const auto* frame = std::get_if<ImageFrame>(&decoded)) {
        const auto again = encode_image_frame(*frame);
        if (again.size() != size || !std::equal(again.begin(), again.end(), data)) __builtin_trap();
    } else if (std::get<std::string>(decoded).empty()) {
        __builtin_trap();
    }
    return 0;
}
