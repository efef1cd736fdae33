#include "bootmedia/ldd_output.hpp"

#include "bootmedia/error.hpp"

namespace castline::bootmedia {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// "/lib/x/libc.so.6 (0x00007f...)" -> "/lib/x/libc.so.6"
std::string_view strip_address(std::string_view s) {
    const std::size_t paren = s.rfind(" (0x");
    return trim(paren == std::string_view::npos ? s : s.substr(0, paren));
}

}  // namespace

std::vector<std::string> parse_ldd_output(std::string_view output) {
    std::vector<std::string> files;
    std::string missing;
    std::size_t start = 0;
    while (start < output.size()) {
        std::size_t end = output.find('\n', start);
        if (end == std::string_view::npos) end = output.size();
        const std::string_view line = trim(output.substr(start, end - start));
        start = end + 1;
        if (line.empty() || line.find("not a dynamic executable") != std::string_view::npos ||
            line.find("statically linked") != std::string_view::npos)
            continue;
        const std::size_t arrow = line.find(" => ");
        if (arrow == std::string_view::npos) {
            const std::string_view path = strip_address(line);
            if (!path.empty() && path.front() == '/') files.emplace_back(path);  // the loader
            continue;                                                            // linux-vdso.so.1
        }
        const std::string_view library = trim(line.substr(0, arrow));
        const std::string_view target = strip_address(line.substr(arrow + 4));
        if (target == "not found" || target.empty() || target.front() != '/') {
            missing += " " + std::string(library);
            continue;
        }
        files.emplace_back(target);
    }
    if (!missing.empty()) throw BootmediaError("shared libraries not found by ldd:" + missing);
    return files;
}

}  // namespace castline::bootmedia
