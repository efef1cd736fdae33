#pragma once
// A DHCPv4 / BOOTP message (RFC 2131 section 2, RFC 2132) and its codec. Pure: bytes in, typed
// message out, and back. Decoding treats every byte as hostile and names the field it rejects.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"
#include "dhcp/options.hpp"

namespace castline::dhcp {

enum class MessageType : std::uint8_t {
    discover = 1,
    offer = 2,
    request = 3,
    decline = 4,
    ack = 5,
    nak = 6,
    release = 7,
    inform = 8,
};
const char* message_type_name(MessageType type);

inline constexpr std::uint8_t op_request = 1;  // BOOTREQUEST
inline constexpr std::uint8_t op_reply = 2;    // BOOTREPLY
inline constexpr std::uint16_t flag_broadcast = 0x8000;
inline constexpr std::size_t fixed_header_size = 236;   // op .. file, before the magic cookie
inline constexpr std::size_t minimum_reply_size = 300;  // BOOTP's size; some clients need it

struct Message {
    std::uint8_t op = op_request;
    std::uint8_t htype = 1;  // Ethernet
    std::uint8_t hlen = 6;
    std::uint8_t hops = 0;
    std::uint32_t xid = 0;
    std::uint16_t secs = 0;
    std::uint16_t flags = 0;
    Ipv4Address ciaddr;
    Ipv4Address yiaddr;
    Ipv4Address siaddr;
    Ipv4Address giaddr;
    std::array<std::uint8_t, 16> chaddr{};
    // sname and file up to their first NUL. When option 52 overloaded them they held options
    // instead, which now live in `options`, and these are empty.
    std::string sname;
    std::string file;
    OptionList options;

    std::optional<MessageType> type() const;
    // The client's Ethernet address (chaddr), when htype/hlen say Ethernet.
    std::optional<MacAddress> mac() const;
    void set_mac(const MacAddress& mac);
    bool broadcast_flag() const { return (flags & flag_broadcast) != 0; }

    bool operator==(const Message&) const = default;
};

struct DecodeResult {
    std::optional<Message> message;
    std::optional<DecodeError> error;  // set exactly when message is not
};

// Decodes a UDP payload. Rejects: fewer than 240 bytes, a wrong magic cookie, op other than
// 1/2, hlen > 16, option lengths past the end of their area, a missing END, option 52 with a bad
// value or inside an overloaded area (no loops), option 53 of the wrong length or an unknown
// type. Option 52 itself is consumed: the message keeps the options it pointed at, not it.
// sname and file without a NUL are taken whole (64 and 128 bytes).
DecodeResult decode(std::span<const std::uint8_t> bytes);

// Encodes a message: all options go in the options field (never overloaded) in their order,
// so a reply builder adds option 82 last, as RFC 3046 asks; then END; padded to 300 bytes.
// sname and file are cut at 64 and 128 bytes.
std::vector<std::uint8_t> encode(const Message& message);

}  // namespace castline::dhcp
