// Any text as an image URL (castline-imager --url, a job's restore.url): parsed or refused with a
// message; a parsed URL prints back to an URL that parses to the same parts.
#include <cstdint>
#include <string_view>
#include <variant>

#include "imagecast/image_url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::imagecast;
    const auto parsed = parse_image_url({reinterpret_cast<const char*>(data), size});
    if (const auto* url = std::get_if<ImageUrl>(&parsed)) {
        if (url->host.empty() || url->path.empty() || url->path.front() != '/') __builtin_trap();
        const auto again = parse_image_url(url->to_string());
        const auto* same = std::get_if<ImageUrl>(&again);
        if (!same || same->host != url->host || same->port != url->port || same->path != url->path)
            __builtin_trap();
    } else if (std::get<std::string>(parsed).empty()) {
        __builtin_trap();
    }
    return 0;
}
