#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/partition_files.hpp"

using namespace castline::imager;

TEST_CASE("paths inside a partition") {
    CHECK(split_partition_path("Windows/Panther/unattend.xml").parts ==
          std::vector<std::string>{"Windows", "Panther", "unattend.xml"});
    CHECK(split_partition_path("/Sysprep//./sysprep.inf").text() == "Sysprep/sysprep.inf");
}

TEST_CASE("paths that could name something outside the partition are refused") {
    CHECK_THROWS_WITH_AS(split_partition_path("a/../../etc/passwd"),
                         doctest::Contains("climbs out with \"..\""), ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path(".."), doctest::Contains("climbs out"), ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path("C:/Windows"), doctest::Contains("names a drive"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path("Windows\\System32"), doctest::Contains("backslash"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path(std::string("a\0b", 3)), doctest::Contains("NUL"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path("/"), doctest::Contains("names no file"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(split_partition_path(""), doctest::Contains("names no file"), ImagerError);
}
