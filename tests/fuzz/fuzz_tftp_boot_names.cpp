// Any bytes as a requested boot file name (TFTP filename, HTTP target) and as an HTTP Range
// header: normalisation either refuses the name or yields a relative path with no "..", no
// empty or "." component and no leading slash; percent decoding and range parsing never crash
// and a range always lies inside the file.
#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/http_boot_files.hpp"
#include "tftp/boot_path.hpp"

namespace {
void check_name(std::string_view name) {
    const auto result = castline::tftp::normalize_request_path(name);
    const auto* path = std::get_if<std::string>(&result);
    if (!path) return;
    if (path->empty() || path->front() == '/' || path->back() == '/') __builtin_trap();
    if (path->find('\\') != std::string::npos || path->find('\0') != std::string::npos)
        __builtin_trap();
    std::string_view rest(*path);
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const auto component = rest.substr(0, slash);
        if (component.empty() || component == "." || component == "..") __builtin_trap();
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_name(text);
    if (const auto decoded = castline::daemon::percent_decode(text)) check_name(*decoded);
    for (const std::uint64_t file_size : {0ull, 1ull, 1000ull, 1ull << 40}) {
        const auto range = castline::daemon::parse_range(text, file_size);
        if (const auto* r = std::get_if<castline::daemon::ByteRange>(&range))
            if (r->first > r->last || r->last >= file_size) __builtin_trap();
    }
    return 0;
}
