// Any bytes as a site config: the loader must answer with a config or diagnostics, never crash,
// and every diagnostic must name a place. A loaded config also goes through the machine check
// against a fixed interface list, so that path sees hostile configs too.
#include <cstdint>
#include <string>

#include "config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto result = castline::config::load_string(text, "fuzz.yaml");
    if (!result.ok() && result.diagnostics.empty()) __builtin_trap();
    for (const auto& d : result.diagnostics)
        if (d.location.file.empty() || d.location.line < 1 || d.location.column < 1 ||
            d.message.empty())
            __builtin_trap();
    if (result.ok()) {
        const std::vector<castline::config::InterfaceInfo> interfaces{
            {"lab0", {*castline::Ipv4Network::parse("198.18.0.1/24")}}, {"lo", {}}};
        (void)castline::config::check_machine(*result.config, interfaces);
    }
    return 0;
}
