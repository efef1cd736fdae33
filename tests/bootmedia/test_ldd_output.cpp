#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "bootmedia/error.hpp"
#include "bootmedia/ldd_output.hpp"

using namespace castline::bootmedia;

TEST_CASE("libraries and the loader of a dynamic program, without the vDSO") {
    const char* output =
        "\tlinux-vdso.so.1 (0x00007ffd4b3f2000)\n"
        "\tlibasan.so.8 => /lib/x86_64-linux-gnu/libasan.so.8 (0x00007f2a5c000000)\n"
        "\tlibzstd.so.1 => /usr/lib/x86_64-linux-gnu/libzstd.so.1 (0x00007f2a5bf00000)\n"
        "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2a5bd1f000)\n"
        "\t/lib64/ld-linux-x86-64.so.2 (0x00007f2a5d0a1000)\n";
    CHECK(parse_ldd_output(output) ==
          std::vector<std::string>{
              "/lib/x86_64-linux-gnu/libasan.so.8", "/usr/lib/x86_64-linux-gnu/libzstd.so.1",
              "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"});
}

TEST_CASE("a static program needs nothing") {
    CHECK(parse_ldd_output("\tnot a dynamic executable\n").empty());
    CHECK(parse_ldd_output("\tstatically linked\n").empty());
}

TEST_CASE("every missing library is named") {
    CHECK_THROWS_WITH_AS(parse_ldd_output("\tlibfoo.so.1 => not found\n"
                                          "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n"
                                          "\tlibbar.so.2 => not found\n"),
                         "shared libraries not found by ldd: libfoo.so.1 libbar.so.2",
                         BootmediaError);
}
