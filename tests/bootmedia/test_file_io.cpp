#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "bootmedia/error.hpp"
#include "bootmedia/file_io.hpp"

using namespace castline::bootmedia;
namespace fs = std::filesystem;

TEST_CASE("a file written atomically replaces the old one and leaves no temporary file") {
    TempDir dir(fs::temp_directory_path(), "castline-test.");
    const fs::path file = dir.path() / "initramfs";
    write_file_atomically(file, "old");
    write_file_atomically(file, std::string("new\0bytes", 9));
    CHECK(read_file(file) == std::string("new\0bytes", 9));
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("a temporary directory goes away with what is in it") {
    fs::path path;
    {
        TempDir dir(fs::temp_directory_path(), "castline-test.");
        path = dir.path();
        CHECK(fs::is_directory(path));
        write_file_atomically(path / "f", "x");
        fs::create_directories(path / "sub/dir");
    }
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("errors name the file") {
    CHECK_THROWS_WITH_AS(read_file("/no/such/file"),
                         "cannot read /no/such/file: No such file or directory", BootmediaError);
    CHECK_THROWS_AS(write_file_atomically("/no/such/dir/file", "x"), BootmediaError);
}
