#include <doctest/doctest.h>

#include <string>

#include "byte_literals.hpp"
#include "tftp/netascii.hpp"

using namespace castline::tftp;
using namespace castline::tftp::testing;

TEST_CASE("LF becomes CR LF and CR becomes CR NUL") {
    CHECK(to_netascii(bytes("a\nb\rc")) == lit("a\r\nb\r\0c"));
    CHECK(to_netascii(bytes("")).empty());
}

TEST_CASE("conversion round-trips any bytes") {
    const auto text = lit("x\r\n\n\r\r\0y\r");
    CHECK(from_netascii(to_netascii(text)) == text);
}
