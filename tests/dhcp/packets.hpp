#pragma once
// Test helpers: raw DHCP packets built byte by byte, so decoder tests do not trust the encoder.
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace castline::dhcp::test {

// A BOOTREQUEST header (236 bytes) from MAC 52:54:00:12:34:56, xid 0x01020304, plus the cookie.
inline std::vector<std::uint8_t> raw_header() {
    std::vector<std::uint8_t> p(236, 0);
    p[0] = 1;
    p[1] = 1;
    p[2] = 6;
    p[4] = 1, p[5] = 2, p[6] = 3, p[7] = 4;
    const std::uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    for (int i = 0; i < 6; ++i) p[28 + i] = mac[i];
    p.insert(p.end(), {99, 130, 83, 99});
    return p;
}

inline std::vector<std::uint8_t> raw_packet(std::initializer_list<std::uint8_t> options) {
    auto p = raw_header();
    p.insert(p.end(), options);
    return p;
}

}  // namespace castline::dhcp::test
