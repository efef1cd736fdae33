// Any datagram as a TFTP packet: decode answers with a packet or an error naming the field,
// never crashes, and whatever decodes re-encodes to something that decodes to the same packet.
// Option negotiation runs on every decoded request too, as the server would.
#include <cstdint>
#include <span>

#include "tftp/options.hpp"
#include "tftp/packet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::tftp;
    const auto result = decode(std::span<const std::uint8_t>(data, size));
    if (!result.ok()) {
        if (result.error().field.empty() || result.error().offset > size) __builtin_trap();
        return 0;
    }
    const auto again = decode(encode(result.packet()));
    if (!again.ok() || !(again.packet() == result.packet())) __builtin_trap();
    if (const auto* request = std::get_if<Request>(&result.packet())) {
        const auto n = negotiate(request->options, {}, size);
        if (n.blksize < min_blksize || n.blksize > 1468 || n.windowsize < 1) __builtin_trap();
    }
    return 0;
}
