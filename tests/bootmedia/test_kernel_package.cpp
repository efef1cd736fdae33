#include <doctest/doctest.h>

#include "bootmedia/error.hpp"
#include "bootmedia/kernel_package.hpp"

using namespace castline::bootmedia;

TEST_CASE("the kernel package behind linux-image-amd64") {
    const char* stanza =
        "Package: linux-image-amd64\n"
        "Source: linux-signed-amd64 (6.1.192+2)\n"
        "Version: 6.1.192-2\n"
        "Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)\n"
        "Description: Linux for 64-bit PCs (meta-package)\n"
        " This package depends on the latest Linux kernel.\n"
        "\n"
        "Package: linux-image-amd64\n"
        "Version: 6.1.176-1\n"
        "Depends: linux-image-6.1.0-50-amd64 (= 6.1.176-1)\n";
    const PackageVersion kernel = kernel_package_from_control(stanza);
    CHECK(kernel.name == "linux-image-6.1.0-56-amd64");
    CHECK(kernel.version == "6.1.192-2");
    CHECK(kernel.deb_file_name("amd64") == "linux-image-6.1.0-56-amd64_6.1.192-2_amd64.deb");
}

TEST_CASE("a Depends field over several lines, beside other dependencies") {
    const char* stanza =
        "Package: linux-image-amd64\n"
        "Depends: libc6,\n"
        " linux-image-6.1.0-9-amd64 (= 6.1.27-1),\n"
        " kmod\n";
    CHECK(kernel_package_from_control(stanza).name == "linux-image-6.1.0-9-amd64");
}

TEST_CASE("epochs are escaped in file names as apt does") {
    CHECK(PackageVersion{"busybox-static", "1:1.35.0-4"}.deb_file_name("amd64") ==
          "busybox-static_1%3a1.35.0-4_amd64.deb");
}

TEST_CASE("no exact kernel dependency is an error") {
    CHECK_THROWS_AS(kernel_package_from_control("Package: linux-image-amd64\n"), BootmediaError);
    CHECK_THROWS_AS(kernel_package_from_control("Depends: linux-image-6.1.0-9-amd64\n"),
                    BootmediaError);
    CHECK_THROWS_AS(
        kernel_package_from_control("Depends: linux-image-a (= 1), linux-image-b (= 2)\n"),
        BootmediaError);
}
