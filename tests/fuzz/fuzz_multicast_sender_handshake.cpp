// Frames from a would-be receiver into the sender's join handshake (records as in
// multicast_handshake_fuzz.hpp), then into its control channel once the receiver is admitted.
// The password key is derived once here: SenderHandshake takes it ready-made, as the sender
// does once per session, so an input costs no PBKDF2. What must hold: every refusal is a bare
// refused frame with a reason; a challenge only answers the first frame; the receiver is proven
// only by the valid hello and proof unaltered (the proof covers the hello as sent); nothing is
// taken after the handshake ends; and afterwards only the receiver's own tagged frames open.
#include <cstdint>
#include <span>

#include "tests/fuzz/multicast_handshake_fuzz.hpp"

using namespace castline::multicast;
using namespace castline::fuzz;

namespace {

const SessionSecret& secret() {
    static const SessionSecret s = fuzz_secret("s3cret", min_pbkdf2_iterations);
    return s;
}

const Transcript& transcript() {
    static const Transcript t = make_transcript(secret(), "s3cret");
    return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& valid = transcript().to_sender;
    const std::vector<std::vector<std::uint8_t>> after_welcome(valid.begin() + 2, valid.end());
    SenderHandshake sender(secret(), server_nonce);
    std::size_t frames = 0;
    bool hello_valid = false;
    bool ended = false;
    bool admitted = false;
    std::size_t opened = 0;
    for_each_frame({data, size}, valid, [&](std::span<const std::uint8_t> frame) {
        if (admitted) {
            check_opened(sender.channel(), frame, after_welcome, opened);
            return true;
        }
        const auto step = sender.on_frame(frame);
        ++frames;
        switch (step.kind) {
            case SenderHandshake::Step::Kind::reply: {
                if (ended || frames != 1) __builtin_trap();
                const auto decoded = decode_control(std::span(step.frame).subspan(4));
                const auto* m = std::get_if<ControlMessage>(&decoded);
                if (!m || !std::holds_alternative<Challenge>(*m)) __builtin_trap();
                hello_valid = std::ranges::equal(frame, valid[0]);
                break;
            }
            case SenderHandshake::Step::Kind::proven:
                if (ended || frames != 2 || !hello_valid || !std::ranges::equal(frame, valid[1]))
                    __builtin_trap();
                sender.welcome(fuzz_welcome(), fuzz_data_key());
                admitted = true;
                break;
            case SenderHandshake::Step::Kind::refused: {
                if (step.error.empty() || step.frame.size() < 4) __builtin_trap();
                const auto decoded = decode_control(std::span(step.frame).subspan(4));
                const auto* m = std::get_if<ControlMessage>(&decoded);
                if (!m || !std::holds_alternative<Refused>(*m)) __builtin_trap();
                ended = true;
                break;
            }
        }
        return true;
    });
    return 0;
}
