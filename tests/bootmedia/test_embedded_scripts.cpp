#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "bootmedia/embedded_scripts.hpp"

namespace {
std::string source_file(const char* relative) {
    std::ifstream in(std::string(CASTLINE_SOURCE_DIR) + "/" + relative, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("the compiled-in scripts are the repository's files byte for byte") {
    CHECK(castline::bootmedia::init_script() == source_file("bootmedia/init.sh"));
    CHECK(castline::bootmedia::udhcpc_script() == source_file("bootmedia/udhcpc.script"));
    CHECK(castline::bootmedia::init_script().starts_with("#!/bin/sh\n"));
}
