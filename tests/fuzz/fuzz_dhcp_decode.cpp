// Any bytes as a DHCP packet: decode must answer with a message or an error naming a field, never
// crash; a decoded message must survive encode + decode unchanged, and its client description
// (93/94/97/77/175/43/82 parsers) must not crash either.
#include <cstdint>
#include <span>

#include "dhcp/client_options.hpp"
#include "dhcp/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::dhcp;
    const auto result = decode(std::span<const std::uint8_t>(data, size));
    if (result.message.has_value() == result.error.has_value()) __builtin_trap();
    if (result.error) {
        if (result.error->field.empty() || result.error->problem.empty()) __builtin_trap();
        return 0;
    }
    const auto& message = *result.message;
    const auto again = decode(encode(message));
    if (!again.message || !(*again.message == message)) __builtin_trap();
    (void)describe_client(message);
    (void)encapsulated(message.options, option::vendor_specific);
    (void)relay_agent_information(message.options);
    return 0;
}
