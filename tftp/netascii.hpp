#pragma once
// Netascii (RFC 764 as used by RFC 1350): LF -> CR LF, CR -> CR NUL.
#include <cstdint>
#include <span>
#include <vector>

namespace castline::tftp {

std::vector<std::uint8_t> to_netascii(std::span<const std::uint8_t> bytes);

// The inverse, for tests and clients: CR LF -> LF, CR NUL -> CR; a lone trailing CR is kept.
std::vector<std::uint8_t> from_netascii(std::span<const std::uint8_t> bytes);

}  // namespace castline::tftp
