#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/durable_file.hpp"

using namespace castline;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    fs::path path = fs::temp_directory_path() / ("castline-durable-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};
std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
std::size_t entries(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}
}  // namespace

TEST_CASE("write_file_durably creates and replaces a file whole, with its mode, no leftovers") {
    TempDir dir;
    const auto file = dir.path / "state.txt";
    REQUIRE_FALSE(write_file_durably(file, "one\n"));
    CHECK(slurp(file) == "one\n");
    REQUIRE_FALSE(write_file_durably(file, "two\n", 0600));
    CHECK(slurp(file) == "two\n");
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(entries(dir.path) == 1);  // no temporary file stays
}

TEST_CASE("write_file_durably names the path it cannot write and leaves the old file") {
    TempDir dir;
    const auto missing = dir.path / "no-such-dir" / "state.txt";
    const auto error = write_file_durably(missing, "x");
    REQUIRE(error);
    CHECK(error->find(missing.string()) != std::string::npos);
    CHECK(error->find("No such file or directory") != std::string::npos);

    // A directory where the file should be: the rename fails, the directory and no temp stay.
    const auto occupied = dir.path / "occupied";
    fs::create_directories(occupied / "inside");
    const auto refused = write_file_durably(occupied, "x");
    REQUIRE(refused);
    CHECK(refused->find("rename into place") != std::string::npos);
    CHECK(fs::is_directory(occupied / "inside"));
    CHECK(entries(dir.path) == 1);
}

TEST_CASE("rename_durably moves a file or a whole tree into place") {
    TempDir dir;
    { std::ofstream(dir.path / "download") << "deb"; }
    REQUIRE_FALSE(rename_durably(dir.path / "download", dir.path / "cached.deb"));
    CHECK(slurp(dir.path / "cached.deb") == "deb");
    fs::create_directories(dir.path / "work" / "lib");
    { std::ofstream(dir.path / "work" / "lib" / "module.ko") << "ko"; }
    REQUIRE_FALSE(rename_durably(dir.path / "work", dir.path / "entry"));
    CHECK(slurp(dir.path / "entry" / "lib" / "module.ko") == "ko");
    const auto error = rename_durably(dir.path / "gone", dir.path / "x");
    REQUIRE(error);
    CHECK(error->find((dir.path / "gone").string()) != std::string::npos);
    CHECK_FALSE(sync_directory(dir.path));
    CHECK(sync_directory(dir.path / "entry" / "lib" / "module.ko"));  // not a directory
}
