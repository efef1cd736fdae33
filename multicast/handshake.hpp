#pragma once
// The join handshake of both ends as pure state machines: frames in, frames and decisions out,
// no sockets, so the sender and the receiver can be driven (and fuzzed) without a network.
//   receiver: hello ->            <- challenge
//             proof ->            <- welcome (the first authenticated frame) or refused
// The proofs cover the hello and challenge frames as sent (the transcript), so neither can be
// altered on the way; every frame from the welcome on carries a tag (ControlChannel). Formulas in
// docs/multicast.md, "Authentication".
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "multicast/auth.hpp"
#include "multicast/control.hpp"
#include "multicast/control_channel.hpp"

namespace castline::multicast {

struct SessionSecret {
    std::string session_name;
    std::array<std::uint8_t, 16> salt{};
    std::uint32_t iterations = 1;
    Key password_key{};
};

class SenderHandshake {
  public:
    struct Step {
        enum class Kind {
            reply,    // send `frame` and wait for the next
            proven,   // the receiver knows the password: admit it (welcome) or refuse it
            refused,  // send `frame` (a refusal) and close
        };
        Kind kind = Kind::reply;
        std::vector<std::uint8_t> frame;
        std::string error;         // refused: why, for the log
        bool failed_join = false;  // refused for a wrong proof or a protocol error
    };

    SenderHandshake(const SessionSecret& secret, const Nonce& server_nonce);
    // The bytes after a frame's length prefix.
    Step on_frame(std::span<const std::uint8_t> frame);
    // The hello, once it has arrived.
    const Hello& hello() const { return hello_; }
    // After `proven`: the welcome with the proof and wrapped data key filled in, sealed; every
    // later frame on the connection is authenticated.
    std::vector<std::uint8_t> welcome(Welcome w, const Key& data_key);
    // A refusal before the welcome (no tag: the receiver may not share the key).
    std::vector<std::uint8_t> refuse(RefusalReason reason, const std::string& message);
    ControlChannel& channel() { return channel_; }

  private:
    Step refusal(RefusalReason reason, const std::string& message, bool failed_join);
    enum class State { hello, proof, proven, done };
    const SessionSecret& secret_;
    Nonce server_nonce_;
    State state_ = State::hello;
    Hello hello_;
    std::vector<std::uint8_t> transcript_;  // hello and challenge frames, length prefixes included
    Digest transcript_hash_{};
    ControlChannel channel_{ControlChannel::Side::sender};
};

class ReceiverHandshake {
  public:
    struct Step {
        enum class Kind {
            reply,    // send `frame` and wait for the next
            joined,   // the welcome arrived and authenticated: welcome() and data_key()
            refused,  // the sender refused (error: its reason and message)
            failed,   // the sender misbehaved or could not prove the password (error: why)
        };
        Kind kind = Kind::reply;
        std::vector<std::uint8_t> frame;
        std::string error;
    };

    ReceiverHandshake(std::string session_name, std::string password, std::string client_name,
                      const Nonce& client_nonce);
    // The first frame to send.
    std::vector<std::uint8_t> hello();
    Step on_frame(std::span<const std::uint8_t> frame);
    const Welcome& welcome() const { return welcome_; }
    const Key& data_key() const { return data_key_; }
    ControlChannel& channel() { return channel_; }

  private:
    enum class State { hello, challenge, welcome, joined, done };
    std::string session_name_;
    std::string password_;
    std::string client_name_;
    Nonce client_nonce_;
    Nonce server_nonce_{};
    Key password_key_{};
    Digest transcript_hash_{};
    std::vector<std::uint8_t> transcript_;
    State state_ = State::hello;
    Welcome welcome_;
    Key data_key_{};
    ControlChannel channel_{ControlChannel::Side::receiver};
};

// The whole frame (length prefix included) of the bytes after a prefix.
std::vector<std::uint8_t> with_length_prefix(std::span<const std::uint8_t> frame);

}  // namespace castline::multicast
