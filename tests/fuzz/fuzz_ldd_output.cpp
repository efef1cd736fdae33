// Any text as the output of ldd (castline-bootmedia copies what a program links against): every
// file named is an absolute path, or the text is refused with BootmediaError naming the missing
// libraries.
#include <cstdint>
#include <string_view>

#include "bootmedia/error.hpp"
#include "bootmedia/ldd_output.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::bootmedia;
    try {
        for (const auto& file : parse_ldd_output({reinterpret_cast<const char*>(data), size}))
            if (file.empty() || file.front() != '/' || file.find('\n') != std::string::npos)
                __builtin_trap();
    } catch (const BootmediaError& e) {
        if (std::string_view(e.what()).find("not found") == std::string_view::npos)
            __builtin_trap();
    }
    return 0;
}
