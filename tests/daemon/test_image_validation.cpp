// The daemon's image check: an intact image passes, a damaged chunk is named, a changed file is
// checked again while an unchanged one is not re-read.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "daemon/image_validation.hpp"
#include "imager/capture.hpp"
#include "imager/image_reader.hpp"
#include "imager/restore_plan.hpp"
#include "tests/imager/imager_test_support.hpp"

using namespace castline;
using namespace castline::imager::testing;

namespace {
void capture_small_image(const TempDir& dir, const std::optional<std::string>& password) {
    write_file(dir / "disk", text_bytes(2 << 20));
    imager::CaptureOptions o;
    o.source = dir / "disk";
    o.output = dir / "image.cimg";
    o.raw = true;
    o.level = 1;
    o.password = password;
    o.kdf_iterations = 1000;
    o.chunker = {64 * 1024, 256 * 1024, 1024 * 1024};
    imager::capture(o);
}

void damage_chunk(const TempDir& dir, std::uint64_t index, const std::optional<std::string>& pw) {
    imager::ImageReader reader(dir / "image.cimg");
    const auto chunk = reader.load_manifest(pw).chunks.at(index);
    std::fstream f(dir / "image.cimg", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(chunk.offset + imager::kChunkHeaderSize + 1));
    f.put('\x5a');
}
}  // namespace

TEST_CASE("an intact image passes; a damaged chunk is named once the file changes") {
    TempDir dir;
    capture_small_image(dir, std::nullopt);
    daemon::ImageValidation validation;
    CHECK(validation.problem(dir / "image.cimg", std::nullopt).empty());

    damage_chunk(dir, 2, std::nullopt);
    // Same size; the modification time tells the check that the file changed.
    std::filesystem::last_write_time(
        dir / "image.cimg",
        std::filesystem::last_write_time(dir / "image.cimg") + std::chrono::seconds(5));
    const auto problem = validation.problem(dir / "image.cimg", std::nullopt);
    CHECK(problem.find("chunk 2") != std::string::npos);
    CHECK(problem.find("checksum mismatch") != std::string::npos);
}

TEST_CASE("an unchanged file is not read again") {
    TempDir dir;
    capture_small_image(dir, std::nullopt);
    daemon::ImageValidation validation;
    const auto before = std::filesystem::last_write_time(dir / "image.cimg");
    CHECK(validation.problem(dir / "image.cimg", std::nullopt).empty());
    damage_chunk(dir, 1, std::nullopt);
    std::filesystem::last_write_time(dir / "image.cimg", before);
    CHECK(validation.problem(dir / "image.cimg", std::nullopt).empty());
}

TEST_CASE("an encrypted image needs its password; a missing file is named") {
    TempDir dir;
    capture_small_image(dir, "lab password");
    daemon::ImageValidation validation;
    CHECK(validation.problem(dir / "image.cimg", "lab password").empty());
    CHECK(!validation.problem(dir / "other.cimg", std::nullopt).empty());
    CHECK(validation.problem(dir / "other.cimg", std::nullopt).find("other.cimg") !=
          std::string::npos);
}

TEST_CASE("the job's image_min_bytes is the imager's own minimum: every partition whole") {
    TempDir dir;
    // 32 MiB, one partition from 1 MiB to the end holding a FAT file system with one small file:
    // the used data ends near the partition's start, the partition at the disk's end.
    const auto disk = (dir / "disk").string();
    const auto command = "truncate -s 32M " + disk +
                         " && printf 'label: dos\\nstart=2048, type=0c\\n' | sfdisk -q " + disk +
                         " && mkfs.vfat --offset=2048 " + disk + " 31744 >/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
    imager::CaptureOptions o;
    o.source = dir / "disk";
    o.output = dir / "image.cimg";
    o.level = 1;
    imager::capture(o);
    daemon::ImageValidation validation;
    const auto checked = validation.check(dir / "image.cimg", std::nullopt);
    REQUIRE(checked->problem.empty());
    CHECK(checked->needed_bytes == 32 << 20);
    imager::ImageReader reader(dir / "image.cimg");
    const auto& m = reader.load_manifest(std::nullopt);
    CHECK(checked->needed_bytes == imager::minimum_target_size(m).bytes);
    // The used bytes alone would have let a far smaller disk be chosen.
    std::uint64_t last_used = 0;
    for (const auto& c : m.chunks)
        for (const auto& p : c.pieces) last_used = std::max(last_used, p.offset + p.length);
    CHECK(last_used < 8 << 20);
}
