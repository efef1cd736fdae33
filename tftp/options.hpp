#pragma once
// Option negotiation for read requests: blksize (RFC 2348), tsize and timeout (RFC 2349),
// windowsize (RFC 7440). Options the server does not accept are left out of the OACK, as
// RFC 2347 says; values beyond a limit are clamped to it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "tftp/packet.hpp"

namespace castline::tftp {

inline constexpr std::uint16_t min_blksize = 8;
inline constexpr std::uint16_t max_blksize_rfc = 65464;
inline constexpr std::uint16_t default_blksize = 512;

struct NegotiationLimits {
    std::uint16_t max_blksize = 1468;  // already the smaller of config and interface MTU
    std::uint16_t max_windowsize = 64;
    std::chrono::milliseconds default_timeout{1000};
};

struct NegotiatedOptions {
    std::uint16_t blksize = default_blksize;
    std::uint16_t windowsize = 1;
    std::chrono::milliseconds timeout{1000};
    std::vector<Option> acknowledged;  // what goes into the OACK; empty: no OACK, start with DATA
};

// The largest blksize that fits one unfragmented IPv4 datagram on a link with this MTU.
std::uint16_t blksize_for_mtu(int mtu);

// `file_size` is the size the transfer will send (after netascii conversion).
NegotiatedOptions negotiate(const std::vector<Option>& requested, const NegotiationLimits& limits,
                            std::uint64_t file_size);

}  // namespace castline::tftp
