// Any bytes as a lease journal line: parse must return a lease or nothing, never crash; a parsed
// lease formats back to a line that parses to the same lease.
#include <cstdint>
#include <string_view>

#include "dhcp/lease_journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::dhcp;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    const auto lease = parse_lease_record(line);
    if (!lease) return 0;
    auto text = format_lease_record(*lease);
    text.pop_back();  // the newline
    const auto again = parse_lease_record(text);
    if (!again || !(*again == *lease)) __builtin_trap();
    return 0;
}
