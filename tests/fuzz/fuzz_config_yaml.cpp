// Any bytes as a site config: the loader must answer with a config or diagnostics, never crash.
#include <cstdint>
#include <string>

#include "config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto result = castline::config::load_string(text, "fuzz.yaml");
    if (!result.ok() && result.diagnostics.empty()) __builtin_trap();
    return 0;
}
