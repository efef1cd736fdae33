// Any bytes as sysprep.inf, and the first line of the input as SECTION/KEY=VALUE: the editor
// must give a file or an ImagerError, and a file it gives must read back the value it set.
#include <cstdint>
#include <string>

#include "imager/errors.hpp"
#include "imager/sysprep_inf.hpp"

using namespace castline::imager;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto line_end = input.find('\n');
    const std::string head = input.substr(0, line_end);
    const std::string text = line_end == std::string::npos ? "" : input.substr(line_end + 1);
    const auto slash = head.find('/');
    const auto eq = head.find('=');
    if (slash == std::string::npos || eq == std::string::npos || eq < slash) return 0;
    const SysprepSetting setting{head.substr(0, slash), head.substr(slash + 1, eq - slash - 1),
                                 head.substr(eq + 1)};
    try {
        const std::string out = set_sysprep_value(text, setting);
        // Setting the same value again changes nothing: the editor finds what it wrote.
        if (set_sysprep_value(out, setting) != out) __builtin_trap();
    } catch (const ImagerError&) {
    }
    return 0;
}
