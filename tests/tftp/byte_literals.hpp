#pragma once
// Packet bytes written as string literals in the TFTP unit tests.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace castline::tftp::testing {

// A literal's bytes without the terminating NUL, embedded NULs included.
template <std::size_t N>
std::vector<std::uint8_t> lit(const char (&s)[N]) {
    return {s, s + N - 1};
}
template <std::size_t N>
std::string lits(const char (&s)[N]) {
    return {s, N - 1};
}
inline std::vector<std::uint8_t> bytes(std::string_view s) {
    return {s.begin(), s.end()};
}

}  // namespace castline::tftp::testing
