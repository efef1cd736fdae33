#include <doctest/doctest.h>

#include <string>

#include "tftp/netascii.hpp"

using namespace castline::tftp;

namespace {
// A literal's bytes without the terminating NUL, embedded NULs included.
template <std::size_t N>
std::vector<std::uint8_t> lit(const char (&s)[N]) {
    return {s, s + N - 1};
}
template <std::size_t N>
std::string lits(const char (&s)[N]) {
    return {s, N - 1};
}
std::vector<std::uint8_t> v(std::string_view s) {
    return {s.begin(), s.end()};
}
}  // namespace

TEST_CASE("LF becomes CR LF and CR becomes CR NUL") {
    CHECK(to_netascii(v("a\nb\rc")) == lit("a\r\nb\r\0c"));
    CHECK(to_netascii(v("")).empty());
}

TEST_CASE("conversion round-trips any bytes") {
    const auto text = lit("x\r\n\n\r\r\0y\r");
    CHECK(from_netascii(to_netascii(text)) == text);
}
