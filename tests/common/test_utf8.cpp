#include <doctest/doctest.h>

#include <string>

#include "common/utf8.hpp"

using castline::is_valid_utf8;
using castline::truncate_utf8;

TEST_CASE("well-formed UTF-8 is told from other bytes") {
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("ä€😀"));
    CHECK_FALSE(is_valid_utf8("\x80"));              // a continuation byte alone
    CHECK_FALSE(is_valid_utf8("\xc3"));              // cut short
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // a surrogate
    CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xff"));
}

TEST_CASE("truncation never cuts a character") {
    const std::string euro = "\xe2\x82\xac";  // 3 bytes
    const std::string text = "ab" + euro + "cd";
    CHECK(truncate_utf8(text, 100) == text);
    CHECK(truncate_utf8(text, 2) == "ab");
    CHECK(truncate_utf8(text, 3) == "ab");
    CHECK(truncate_utf8(text, 4) == "ab");
    CHECK(truncate_utf8(text, 5) == "ab" + euro);
    CHECK(truncate_utf8(text, 0) == "");
    // The limits castlined uses for report texts: a run of 2-byte characters cut at 4096 and 40
    // bytes, and 4-byte ones at 4096, stay valid.
    std::string umlauts;
    for (int i = 0; i < 3000; ++i) umlauts += "\xc3\xa4";
    for (std::size_t limit : {40u, 41u, 4095u, 4096u}) {
        const auto cut = truncate_utf8(umlauts, limit);
        CHECK(cut.size() <= limit);
        CHECK(cut.size() >= limit - 1);
        CHECK(is_valid_utf8(cut));
    }
    std::string emoji;
    for (int i = 0; i < 1100; ++i) emoji += "\xf0\x9f\x98\x80";
    for (std::size_t limit : {4093u, 4094u, 4095u, 4096u, 4097u}) {
        const auto cut = truncate_utf8(emoji, limit);
        CHECK(cut.size() <= limit);
        CHECK(cut.size() % 4 == 0);
        CHECK(is_valid_utf8(cut));
    }
}
