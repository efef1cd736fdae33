#pragma once
// Defaults of a multicast session that both the site config and the multicast layer state (the
// config library does not depend on the multicast one).
#include <cstdint>

namespace castline::multicast_defaults {

constexpr std::uint32_t group = 0xEFC60A0A;  // 239.198.10.10
// The largest UDP payload in a 1500-byte IPv4 MTU: a 1440-byte symbol (docs/adr/0053).
constexpr std::uint32_t packet_size = 1472;
constexpr std::uint16_t resolver_port = 31527;

}  // namespace castline::multicast_defaults
