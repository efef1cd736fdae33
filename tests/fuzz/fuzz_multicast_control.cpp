// Any bytes as a control frame body: decoding answers a message or an error, and every message
// that decodes encodes back to the same bytes (the codec has one spelling per message).
#include <cstdint>
#include <span>

#include "multicast/control.hpp"

using namespace castline::multicast;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    const auto decoded = decode_control(bytes);
    if (const auto* e = std::get_if<ControlError>(&decoded)) {
        if (e->reason.empty()) __builtin_trap();
        return 0;
    }
    const auto frame = encode_control(std::get<ControlMessage>(decoded));
    if (frame.size() != size + 4 || !std::equal(frame.begin() + 4, frame.end(), bytes.begin()))
        __builtin_trap();
    return 0;
}
