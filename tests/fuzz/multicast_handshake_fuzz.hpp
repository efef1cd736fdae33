#pragma once
// A fuzz input as the frames that reach one end of the join handshake, in order. Records:
//   control byte < 0x80: a raw frame, a u16 length (little-endian) and that many bytes;
//   control byte >= 0x80: frame (control & 0x7f) % n of a valid transcript the harness made by
//     running both ends against each other, then a u16 position (little-endian, modulo the
//     frame's size) and a byte XORed into the frame there (0: replayed unchanged).
// Replaying lets the fuzzer reach the authenticated path, which it could never reach by guessing
// proofs and tags, and then alter any one byte of it. Every record fields missing at the end of
// the input read as 0. The fixed nonces, password and session make the transcript the same on
// every run.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "multicast/handshake.hpp"

namespace castline::fuzz {

inline multicast::Nonce fuzz_nonce(std::uint8_t v) {
    multicast::Nonce n;
    n.fill(v);
    return n;
}
inline const multicast::Nonce server_nonce = fuzz_nonce(1);
inline const multicast::Nonce client_nonce = fuzz_nonce(101);

inline multicast::Welcome fuzz_welcome() {
    multicast::Welcome w;
    w.receiver_id = 1;
    w.session_id = 0xC0FFEE;
    w.group = 0xEFC60A0A;
    w.data_port = 5000;
    w.symbol_size = 1440;
    w.chunk_sizes = {100, 200};
    w.manifest = {1, 2, 3};
    return w;
}

inline multicast::Key fuzz_data_key() {
    multicast::Key k;
    k.fill(0x42);
    return k;
}

inline multicast::SessionSecret fuzz_secret(const std::string& password, std::uint32_t iterations) {
    multicast::SessionSecret s;
    s.session_name = "lab";
    s.salt.fill(7);
    s.iterations = iterations;
    s.password_key = multicast::derive_password_key(password, s.salt, iterations);
    return s;
}

// Both directions of one whole, valid connection (bytes after the length prefixes): hello,
// proof and three tagged frames from the receiver; challenge, welcome and three tagged frames
// from the sender.
struct Transcript {
    std::vector<std::vector<std::uint8_t>> to_sender;
    std::vector<std::vector<std::uint8_t>> to_receiver;
};

inline std::vector<std::uint8_t> body(const std::vector<std::uint8_t>& frame) {
    return {frame.begin() + 4, frame.end()};
}

inline Transcript make_transcript(const multicast::SessionSecret& secret,
                                  const std::string& password) {
    using namespace multicast;
    SenderHandshake sender(secret, server_nonce);
    ReceiverHandshake receiver("lab", password, "pc", client_nonce);
    Transcript t;
    t.to_sender.push_back(body(receiver.hello()));
    const auto challenge = sender.on_frame(t.to_sender.back());
    t.to_receiver.push_back(body(challenge.frame));
    const auto proof = receiver.on_frame(t.to_receiver.back());
    t.to_sender.push_back(body(proof.frame));
    if (sender.on_frame(t.to_sender.back()).kind != SenderHandshake::Step::Kind::proven)
        __builtin_trap();
    t.to_receiver.push_back(body(sender.welcome(fuzz_welcome(), fuzz_data_key())));
    if (receiver.on_frame(t.to_receiver.back()).kind != ReceiverHandshake::Step::Kind::joined)
        __builtin_trap();
    t.to_sender.push_back(body(receiver.channel().seal(Report{})));
    t.to_sender.push_back(body(receiver.channel().seal(Done{})));
    t.to_sender.push_back(body(receiver.channel().seal(Leave{"bye"})));
    t.to_receiver.push_back(body(sender.channel().seal(Start{})));
    t.to_receiver.push_back(body(sender.channel().seal(ChunkData{0, {9, 9, 9}})));
    t.to_receiver.push_back(body(sender.channel().seal(End{true, "done"})));
    return t;
}

// Calls `feed` with each frame of the input until it returns false or the input ends.
inline void for_each_frame(std::span<const std::uint8_t> input,
                           const std::vector<std::vector<std::uint8_t>>& valid,
                           const std::function<bool(std::span<const std::uint8_t>)>& feed) {
    std::size_t at = 0;
    const auto byte = [&]() -> std::uint8_t { return at < input.size() ? input[at++] : 0; };
    std::vector<std::uint8_t> frame;
    while (at < input.size()) {
        const std::uint8_t control = byte();
        const std::size_t low = byte();
        const std::size_t word = low | std::size_t{byte()} << 8;
        if (control < 0x80) {
            const std::size_t length = std::min(word, input.size() - at);
            frame.assign(input.begin() + static_cast<long>(at),
                         input.begin() + static_cast<long>(at + length));
            at += length;
        } else {
            frame = valid[(control & 0x7f) % valid.size()];
            const std::uint8_t mask = byte();
            if (!frame.empty()) frame[word % frame.size()] ^= mask;
        }
        if (!feed(frame)) return;
    }
}

// After the handshake every frame that opens must be the peer's own next frame, unaltered: the
// tag covers direction, sequence number and bytes, so nothing else can pass.
inline void check_opened(multicast::ControlChannel& channel, std::span<const std::uint8_t> frame,
                         const std::vector<std::vector<std::uint8_t>>& sealed,
                         std::size_t& opened) {
    const auto result = channel.open(frame);
    if (const auto* e = std::get_if<multicast::ControlError>(&result)) {
        if (e->reason.empty()) __builtin_trap();
        return;
    }
    if (opened >= sealed.size() || !std::ranges::equal(frame, sealed[opened])) __builtin_trap();
    ++opened;
}

}  // namespace castline::fuzz
