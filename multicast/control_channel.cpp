#include "multicast/control_channel.hpp"

#include <algorithm>
#include <string>

namespace castline::multicast {
namespace {

constexpr std::uint8_t sender_to_receiver = 1;
constexpr std::uint8_t receiver_to_sender = 2;
constexpr std::uint8_t refused_type = 4;

}  // namespace

void ControlChannel::key(const Key& control_key) {
    key_ = control_key;
    keyed_ = true;
}

std::array<std::uint8_t, ControlChannel::tag_size> ControlChannel::tag(
    std::uint8_t direction, std::uint64_t sequence,
    std::span<const std::uint8_t> type_and_body) const {
    std::array<std::uint8_t, 9> header{direction};
    for (int i = 0; i < 8; ++i) header[1 + i] = static_cast<std::uint8_t>(sequence >> (56 - 8 * i));
    const auto full =
        hmac_sha256_parts(key_, {std::span<const std::uint8_t>(header), type_and_body});
    std::array<std::uint8_t, tag_size> out{};
    std::copy_n(full.begin(), tag_size, out.begin());
    return out;
}

std::vector<std::uint8_t> ControlChannel::seal(const ControlMessage& m) {
    auto frame = encode_control(m);
    if (!keyed_) return frame;
    const auto t = tag(side_ == Side::sender ? sender_to_receiver : receiver_to_sender, sent_++,
                       std::span(frame).subspan(4));
    frame.insert(frame.end(), t.begin(), t.end());
    const auto length = static_cast<std::uint32_t>(frame.size() - 4);
    for (int i = 0; i < 4; ++i) frame[i] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
    return frame;
}

std::variant<ControlMessage, ControlError> ControlChannel::open(
    std::span<const std::uint8_t> frame) {
    if (!keyed_) return decode_control(frame);
    const bool may_be_bare =
        side_ == Side::receiver && !authenticated_in_ && !frame.empty() && frame[0] == refused_type;
    if (frame.size() < 1 + tag_size) {
        if (may_be_bare) return decode_control(frame);
        return ControlError{"tag: frame " + std::to_string(received_) + " has " +
                            std::to_string(frame.size()) + " bytes, too short to carry its " +
                            std::to_string(tag_size) + "-byte tag"};
    }
    const auto type_and_body = frame.first(frame.size() - tag_size);
    const auto expected = tag(side_ == Side::sender ? receiver_to_sender : sender_to_receiver,
                              received_, type_and_body);
    if (!equal_constant_time(expected, frame.last(tag_size))) {
        if (may_be_bare) return decode_control(frame);
        return ControlError{"tag: frame " + std::to_string(received_) + " (type " +
                            std::to_string(frame[0]) +
                            ") does not authenticate: altered, replayed or from another "
                            "connection or session"};
    }
    ++received_;
    authenticated_in_ = true;
    return decode_control(type_and_body);
}

}  // namespace castline::multicast
