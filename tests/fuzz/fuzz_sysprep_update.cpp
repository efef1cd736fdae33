// Any bytes as a Paragon per-MAC update file: settings or an ImagerError naming a line.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "imager/errors.hpp"
#include "imager/sysprep_inf.hpp"

using namespace castline::imager;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto mac = *castline::MacAddress::parse("00:0a:48:00:dd:1a");
    try {
        for (const auto& s : sysprep_settings_for_mac(
                 std::string_view(reinterpret_cast<const char*>(data), size), mac))
            if (s.section.empty() || s.key.empty()) __builtin_trap();
    } catch (const ImagerError& e) {
        if (std::strstr(e.what(), "line ") == nullptr) __builtin_trap();
    }
    return 0;
}
