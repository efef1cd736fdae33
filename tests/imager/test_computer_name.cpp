#include <doctest/doctest.h>

#include "imager/computer_name.hpp"
#include "imager/errors.hpp"

using namespace castline::imager;

TEST_CASE("computer names Windows accepts") {
    for (const char* name : {"WS01", "a", "LAB-PC-0000001", "x1"})
        CHECK_NOTHROW(check_computer_name(name));
}

TEST_CASE("each rule of Windows computer names, named in the error") {
    CHECK_THROWS_WITH_AS(check_computer_name(""), doctest::Contains("is empty"), ImagerError);
    CHECK_THROWS_WITH_AS(check_computer_name("ABCDEFGHIJKLMNOP"),
                         doctest::Contains("has 16 characters, at most 15"), ImagerError);
    CHECK_THROWS_WITH_AS(check_computer_name("12345"), doctest::Contains("is only digits"),
                         ImagerError);
    for (const char c : std::string_view("\\/:*?\"<>|,~!@#$%^&'.(){}_ ")) {
        const std::string name = std::string("WS") + c + "01";
        const std::string rule = std::string("contains '") + c + "'";
        CHECK_THROWS_WITH_AS(check_computer_name(name), doctest::Contains(rule.c_str()),
                             ImagerError);
    }
    CHECK_THROWS_WITH_AS(check_computer_name("WS\t01"), doctest::Contains("control character"),
                         ImagerError);
}
