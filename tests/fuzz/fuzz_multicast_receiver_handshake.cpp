// Frames from a would-be sender into the receiver's join handshake (records as in
// multicast_handshake_fuzz.hpp), then into its control channel once it has joined. The first
// input byte picks the receiver: bit 0 clear, an open session (empty password, the transcript's
// own); set, a password session, whose receiver refuses the transcript's challenge (1
// iteration) unanswered.
//
// ReceiverHandshake derives the password key itself from the challenge's salt and iteration
// count (it cannot be handed a key: the sender picks both). The decoder bounds the count at
// 10^7, seconds of PBKDF2 on purpose, so a challenge asking for more than 64 iterations ends the
// input before it is fed: the code after the derivation is the same whatever key comes out, and
// fuzzing PBKDF2 itself would only burn the time budget. That leaves a password receiver only
// its refusal of a cheap challenge; the open session reaches the proof, the welcome and the
// tagged frames.
//
// What must hold: a proof answers only the first frame, and only an unkeyed Proof; the receiver
// joins only on the transcript's challenge and welcome unaltered, with the data key the sender
// wrapped; nothing is taken after the handshake ends; and afterwards only the sender's own
// tagged frames open.
#include <cstdint>
#include <span>

#include "tests/fuzz/multicast_handshake_fuzz.hpp"

using namespace castline::multicast;
using namespace castline::fuzz;

namespace {

constexpr std::uint32_t max_fuzzed_iterations = 64;

const Transcript& transcript() {
    static const Transcript t = make_transcript(fuzz_secret("", 1), "");
    return t;
}

bool too_costly(std::span<const std::uint8_t> frame) {
    const auto decoded = decode_control(frame);
    const auto* m = std::get_if<ControlMessage>(&decoded);
    const auto* c = m ? std::get_if<Challenge>(m) : nullptr;
    return c && c->iterations > max_fuzzed_iterations;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto& valid = transcript().to_receiver;
    const std::vector<std::vector<std::uint8_t>> after_welcome(valid.begin() + 2, valid.end());
    const bool password = data[0] & 1;
    ReceiverHandshake receiver("lab", password ? "s3cret" : "", "pc", client_nonce);
    receiver.hello();
    std::size_t frames = 0;
    bool challenge_valid = false;
    bool ended = false;
    bool joined = false;
    std::size_t opened = 0;
    for_each_frame({data + 1, size - 1}, valid, [&](std::span<const std::uint8_t> frame) {
        if (joined) {
            check_opened(receiver.channel(), frame, after_welcome, opened);
            return true;
        }
        if (!ended && frames == 0 && too_costly(frame)) return false;
        const auto step = receiver.on_frame(frame);
        ++frames;
        switch (step.kind) {
            case ReceiverHandshake::Step::Kind::reply: {
                if (ended || frames != 1 || step.frame.size() < 4) __builtin_trap();
                const auto decoded = decode_control(std::span(step.frame).subspan(4));
                const auto* m = std::get_if<ControlMessage>(&decoded);
                if (!m || !std::holds_alternative<Proof>(*m)) __builtin_trap();
                challenge_valid = std::ranges::equal(frame, valid[0]);
                break;
            }
            case ReceiverHandshake::Step::Kind::joined:
                if (ended || frames != 2 || password || !challenge_valid ||
                    !std::ranges::equal(frame, valid[1]) ||
                    receiver.data_key() != fuzz_data_key() ||
                    receiver.welcome().chunk_sizes != fuzz_welcome().chunk_sizes)
                    __builtin_trap();
                joined = true;
                break;
            case ReceiverHandshake::Step::Kind::refused:
            case ReceiverHandshake::Step::Kind::failed:
                if (step.error.empty() || !step.frame.empty()) __builtin_trap();
                ended = true;
                break;
        }
        return true;
    });
    return 0;
}
