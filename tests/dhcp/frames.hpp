#pragma once
// Test helpers: Ethernet frames around a DHCP payload, built byte by byte as a capture shows them
// (so the frame parser's tests do not trust any encoder of headers).
#include <cstdint>
#include <vector>

namespace castline::dhcp::test {

struct FrameSpec {
    std::vector<std::uint16_t> vlans;  // tag TPIDs are 0x8100; the values are the VLAN ids
    std::size_t ip_options = 0;        // bytes of IPv4 options (a multiple of 4)
    std::uint16_t source_port = 68;
    std::uint16_t destination_port = 67;
    std::uint32_t source = 0;  // 0.0.0.0, as a client without an address sends
    std::uint32_t destination = 0xffffffff;
    std::size_t padding = 0;  // bytes after the IP packet, as Ethernet pads short frames
};

inline void put16(std::vector<std::uint8_t>& out, std::size_t at, std::size_t v) {
    out[at] = static_cast<std::uint8_t>(v >> 8);
    out[at + 1] = static_cast<std::uint8_t>(v);
}
inline void put32(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t v) {
    put16(out, at, v >> 16);
    put16(out, at + 2, v & 0xffff);
}

// Ethernet (from 52:54:00:00:00:01 to broadcast) + IPv4 + UDP + payload.
inline std::vector<std::uint8_t> frame(const std::vector<std::uint8_t>& payload,
                                       const FrameSpec& spec = {}) {
    std::vector<std::uint8_t> f{0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0x52, 0x54, 0x00, 0x00, 0x00, 0x01};
    for (const auto id : spec.vlans) {
        f.insert(f.end(), {0x81, 0x00, 0, 0});
        put16(f, f.size() - 2, id);
    }
    f.insert(f.end(), {0x08, 0x00});
    const std::size_t ip = f.size();
    const std::size_t header = 20 + spec.ip_options;
    const std::size_t total = header + 8 + payload.size();
    f.resize(ip + header, 0);
    f[ip] = static_cast<std::uint8_t>(0x40 | header / 4);
    put16(f, ip + 2, total);
    f[ip + 8] = 64;  // TTL
    f[ip + 9] = 17;  // UDP
    put32(f, ip + 12, spec.source);
    put32(f, ip + 16, spec.destination);
    const std::size_t udp = f.size();
    f.resize(udp + 8, 0);
    put16(f, udp, spec.source_port);
    put16(f, udp + 2, spec.destination_port);
    put16(f, udp + 4, 8 + payload.size());
    f.insert(f.end(), payload.begin(), payload.end());
    f.insert(f.end(), spec.padding, 0);
    return f;
}

// Offsets in a frame without VLAN tags.
inline constexpr std::size_t ip_at = 14;
inline constexpr std::size_t udp_at = 34;

}  // namespace castline::dhcp::test
