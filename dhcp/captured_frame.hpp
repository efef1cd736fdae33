#pragma once
// A DHCP message inside a captured Ethernet frame (Ethernet II, up to two 802.1Q/802.1ad tags,
// IPv4 with options, UDP), as libpcap hands it over on a DLT_EN10MB interface. Pure: bytes in,
// the message and its addressing out, or the header field that made the frame unusable. Every
// byte is hostile: the frame may be cut short by the snap length, or forged by anyone on the
// segment.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"
#include "dhcp/message.hpp"

namespace castline::dhcp {

struct CapturedDhcp {
    MacAddress source_mac;
    MacAddress destination_mac;
    std::optional<std::uint16_t> vlan;  // the innermost VLAN id, when the frame was tagged
    Ipv4Address source;
    Ipv4Address destination;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    Message message;
};

struct FrameResult {
    std::optional<CapturedDhcp> dhcp;
    std::optional<DecodeError> error;  // set exactly when dhcp is not
};

// Rejects, naming the field: a frame shorter than its headers say (truncated), an EtherType other
// than IPv4 (after at most two VLAN tags), IP version other than 4, IHL under 5 or past the
// frame, a total length under the header or past the frame, a fragment (a DHCP message is never
// reassembled here), a protocol other than UDP, a UDP length under 8 or past the IP packet,
// neither port 67 nor 68, and a payload that dhcp::decode refuses (its error, the field prefixed
// with "dhcp."). Checksums are not verified: captured outgoing packets carry partial checksums when
// the NIC offloads them, and a forged frame can carry a right checksum as easily as a wrong one.
FrameResult parse_captured_frame(std::span<const std::uint8_t> frame);

}  // namespace castline::dhcp
