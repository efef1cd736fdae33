// Any bytes as a captured Ethernet frame: the parser must answer with a DHCP message or an error
// naming a field, never read past the frame; what it finds goes on to judge_sighting, as in
// castlined's passive discovery, which must not crash either.
#include <cstdint>
#include <span>

#include "dhcp/captured_frame.hpp"
#include "dhcp/passive_sighting.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::dhcp;
    const auto result = parse_captured_frame(std::span<const std::uint8_t>(data, size));
    if (result.dhcp.has_value() == result.error.has_value()) __builtin_trap();
    if (result.error) {
        if (result.error->field.empty() || result.error->problem.empty()) __builtin_trap();
        return 0;
    }
    const auto sighting = judge_sighting(result.dhcp->message, "fuzz0", 1);
    if (!sighting.client && !sighting.grant && sighting.ignored.empty()) __builtin_trap();
    return 0;
}
