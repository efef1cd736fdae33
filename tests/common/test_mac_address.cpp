#include <doctest/doctest.h>

#include "common/mac_address.hpp"

using castline::MacAddress;

TEST_CASE("MAC addresses parse in colon, dash and bare forms") {
    const auto expected = MacAddress{{0x52, 0x54, 0x00, 0xab, 0xcd, 0xef}};
    CHECK(MacAddress::parse("52:54:00:ab:cd:ef") == expected);
    CHECK(MacAddress::parse("52-54-00-AB-CD-EF") == expected);
    CHECK(MacAddress::parse("525400ABcdef") == expected);
    CHECK(expected.to_string() == "52:54:00:ab:cd:ef");
    CHECK(expected.to_dashed_upper() == "52-54-00-AB-CD-EF");
}

TEST_CASE("malformed MAC addresses are refused") {
    for (const char* bad :
         {"", "52:54:00:ab:cd", "52:54:00:ab:cd:eg", "52:54-00:ab:cd:ef", "52:54:00:ab:cd:ef:01",
          "5254.00ab.cdef", "52:54:00:ab:cd:e", " 52:54:00:ab:cd:ef"})
        CHECK_MESSAGE(!MacAddress::parse(bad), bad);
}
