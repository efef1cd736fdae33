#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bootmedia/bootmedia_command.hpp"
#include "bootmedia/file_io.hpp"

namespace fs = std::filesystem;

namespace {
int run(std::vector<std::string> words) {
    std::vector<char*> args;
    for (auto& w : words) args.push_back(w.data());
    return castline::bootmedia::bootmedia_command(args);
}
}  // namespace

TEST_CASE("usage errors exit 2, help exits 0") {
    CHECK(run({}) == 2);
    CHECK(run({"make"}) == 2);
    CHECK(run({"build"}) == 2);
    CHECK(run({"build", "--output"}) == 2);
    CHECK(run({"build", "--help"}) == 0);
}

TEST_CASE("a missing imager fails the build before anything is fetched or written") {
    castline::bootmedia::TempDir dir(fs::temp_directory_path(), "castline-test.");
    const fs::path output = dir.path() / "media";
    const fs::path cache = dir.path() / "cache";
    CHECK(run({"build", "--output", output.string(), "--cache", cache.string(), "--imager",
               (dir.path() / "no-imager").string()}) == 1);
    CHECK_FALSE(fs::exists(output));
    CHECK_FALSE(fs::exists(cache));
}
