#pragma once
// One control connection's frames, authenticated once the handshake has given both ends the
// control key: each frame then ends in a tag over the direction, the frame's sequence number on
// the connection and its type and body, so a frame altered, replayed, reordered, reflected or
// taken from another connection or session is refused. Layout in docs/multicast.md, "Frame
// authentication". Pure: bytes in, messages out.
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "multicast/auth.hpp"
#include "multicast/control.hpp"

namespace castline::multicast {

class ControlChannel {
  public:
    enum class Side { sender, receiver };
    static constexpr std::size_t tag_size = 16;

    explicit ControlChannel(Side side) : side_(side) {}

    // From now on every frame sent carries a tag and every frame received must.
    void key(const Key& control_key);
    bool keyed() const { return keyed_; }

    // A whole frame, length prefix included.
    std::vector<std::uint8_t> seal(const ControlMessage& m);
    // The bytes after the length prefix. On the receiver, a `refused` without a tag is accepted
    // until the first authenticated frame has arrived: a sender that refuses a wrong password
    // has no key in common with the receiver.
    std::variant<ControlMessage, ControlError> open(std::span<const std::uint8_t> frame);

  private:
    std::array<std::uint8_t, tag_size> tag(std::uint8_t direction, std::uint64_t sequence,
                                           std::span<const std::uint8_t> type_and_body) const;
    Side side_;
    bool keyed_ = false;
    bool authenticated_in_ = false;
    Key key_{};
    std::uint64_t sent_ = 0;
    std::uint64_t received_ = 0;
};

}  // namespace castline::multicast
