// Capture and restore of disk files through the library: byte-equal restores onto targets that
// held other data, encryption, split images, any-order chunk decoding (the multicast path), and
// damaged images that must leave the target untouched.
#include <doctest/doctest.h>

#include <fstream>

#include "imager/capture.hpp"
#include "imager/chunk_codec.hpp"
#include "imager/errors.hpp"
#include "imager/image_reader.hpp"
#include "imager/restore.hpp"
#include "imager/target_writer.hpp"
#include "imager/validate.hpp"
#include "imager_test_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

namespace {
// A disk of real text, random data and long zero runs, with an unaligned size.
std::vector<std::uint8_t> make_disk() {
    std::vector<std::uint8_t> disk((12 << 20) + 512, 0);
    const auto text = text_bytes(3 << 20);
    std::copy(text.begin(), text.end(), disk.begin() + 4096);
    const auto noise = random_bytes(2 << 20, 11);
    std::copy(noise.begin(), noise.end(), disk.begin() + (7 << 20) + 100);
    disk[disk.size() - 1] = 0x55;  // a last byte in a partial block
    return disk;
}

ExitCode code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ImagerError& e) {
        return e.code;
    }
    return ExitCode::success;
}

CaptureOptions capture_options(const TempDir& dir) {
    CaptureOptions o;
    o.source = dir / "disk";
    o.output = dir / "image.cimg";
    o.raw = true;
    o.level = 1;
    o.chunker = {64 * 1024, 256 * 1024, 1024 * 1024};  // several chunks on a small disk
    o.description = "unit test";
    return o;
}
}  // namespace

TEST_CASE("raw capture and restore onto a dirty target is byte-equal, zero blocks skipped") {
    TempDir dir;
    const auto disk = make_disk();
    write_file(dir / "disk", disk);
    const auto result = capture(capture_options(dir));
    CHECK(result.chunks > 4);
    CHECK(result.stored_plain < 6 << 20);  // the zero blocks were not stored
    CHECK(result.image_bytes < result.stored_plain);

    write_file(dir / "target", random_bytes(disk.size(), 5));
    RestoreOptions r;
    r.image = dir / "image.cimg";
    r.target = dir / "target";
    r.verify = true;
    const auto restored = restore(r);
    CHECK(restored.verified);
    CHECK(read_file(dir / "target") == disk);

    ImageReader reader(dir / "image.cimg");
    const auto& m = reader.load_manifest(std::nullopt);
    CHECK(m.description == "unit test");
    CHECK(m.disk_size == disk.size());
    CHECK_FALSE(m.zero_extents.empty());
}

TEST_CASE("chunks decode and write in any order: the API the multicast receiver uses") {
    TempDir dir;
    const auto disk = make_disk();
    write_file(dir / "disk", disk);
    capture(capture_options(dir));
    ImageReader reader(dir / "image.cimg");
    const auto& m = reader.load_manifest(std::nullopt);
    ChunkCodec codec(0, reader.key());
    TargetWriter target(dir / "target", m);
    target.begin();
    for (auto i = m.chunks.size(); i-- > 0;)
        target.write_chunk(m.chunks[i], codec.decode(i, m.chunks[i], reader.read_stored_chunk(i)));
    target.finish();
    CHECK(read_file(dir / "target") == disk);
}

TEST_CASE("encrypted and split: the right password restores, a wrong one writes nothing") {
    TempDir dir;
    const auto disk = make_disk();
    write_file(dir / "disk", disk);
    auto o = capture_options(dir);
    o.password = "p\xC3\xA4ss";
    o.kdf_iterations = 2000;
    o.split_size = 1 << 20;
    capture(o);
    CHECK(std::filesystem::exists(dir / "image.cimg.2"));
    // Nothing readable without the key: the real data does not appear in the image.
    const auto part = read_file(dir / "image.cimg");
    const std::string needle = "castline::imager";
    CHECK(std::search(part.begin(), part.end(), needle.begin(), needle.end()) == part.end());

    const auto target_before = random_bytes(disk.size(), 6);
    write_file(dir / "target", target_before);
    RestoreOptions r;
    r.image = dir / "image.cimg";
    r.target = dir / "target";
    r.password = "wrong";
    CHECK(code_of([&] { restore(r); }) == ExitCode::wrong_password);
    r.password.reset();
    CHECK(code_of([&] { restore(r); }) == ExitCode::wrong_password);
    CHECK(read_file(dir / "target") == target_before);
    r.password = "p\xC3\xA4ss";
    restore(r);
    CHECK(read_file(dir / "target") == disk);
}

TEST_CASE("a damaged chunk: prevalidation writes nothing; without it the chunk is named") {
    TempDir dir;
    const auto disk = make_disk();
    write_file(dir / "disk", disk);
    capture(capture_options(dir));
    ImageReader reader(dir / "image.cimg");
    const auto m = reader.load_manifest(std::nullopt);
    const auto& bad = m.chunks[3];
    {
        std::fstream f(dir / "image.cimg", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(bad.offset + kChunkHeaderSize + bad.stored_length / 2));
        f.put('\x5a');
    }
    const auto target_before = random_bytes(disk.size(), 7);
    write_file(dir / "target", target_before);
    RestoreOptions r;
    r.image = dir / "image.cimg";
    r.target = dir / "target";
    const auto name = "chunk 3 (disk offset " + std::to_string(bad.pieces[0].offset) + ")";
    CHECK_THROWS_WITH_AS(restore(r), doctest::Contains(name.c_str()), ImagerError);
    CHECK(read_file(dir / "target") == target_before);

    ValidateOptions v;
    v.image = dir / "image.cimg";
    CHECK_THROWS_WITH_AS(validate(v), doctest::Contains((name + ": checksum mismatch").c_str()),
                         ImagerError);

    r.prevalidate = false;
    r.threads = 1;
    CHECK_THROWS_WITH_AS(restore(r), doctest::Contains(name.c_str()), ImagerError);
    // Nothing of the bad chunk reached the target (its bytes there are still the old ones, or
    // zero where a deferred range was wiped).
    const auto after = read_file(dir / "target");
    for (const auto& piece : bad.pieces) {
        for (auto at = piece.offset; at < piece.offset + piece.length; at += 4099)
            CHECK((after[at] == target_before[at] || after[at] == 0));
        CHECK(!std::equal(after.begin() + static_cast<long>(piece.offset),
                          after.begin() + static_cast<long>(piece.offset + piece.length),
                          disk.begin() + static_cast<long>(piece.offset)));
    }
}

TEST_CASE("an unfinished capture is reported as incomplete") {
    TempDir dir;
    const auto disk = make_disk();
    write_file(dir / "disk", disk);
    capture(capture_options(dir));
    // A header without a manifest, as a capture that died midway leaves it.
    auto image = read_file(dir / "image.cimg");
    ImageHeader h = parse_header({image.data(), kHeaderSize});
    h.manifest_offset = 0;
    h.manifest_length = 0;
    const auto header = serialize_header(h);
    std::copy(header.begin(), header.end(), image.begin());
    write_file(dir / "image.cimg", image);
    CHECK_THROWS_WITH_AS(ImageReader(dir / "image.cimg"), doctest::Contains("incomplete"),
                         ImagerError);
}

TEST_CASE("capture refuses to replace an existing image unless told to") {
    TempDir dir;
    write_file(dir / "disk", make_disk());
    const auto first = capture(capture_options(dir));
    const auto image = read_file(dir / "image.cimg");
    auto o = capture_options(dir);
    o.description = "second";
    try {
        capture(o);
        FAIL("an existing image was overwritten without overwrite");
    } catch (const ImagerError& e) {
        CHECK(e.code == ExitCode::bad_usage);
        CHECK(std::string(e.what()) == "capture: " + (dir / "image.cimg").string() +
                                           " already exists; give --force to overwrite it");
    }
    CHECK(read_file(dir / "image.cimg") == image);
    o.overwrite = true;
    capture(o);
    ImageReader reader(dir / "image.cimg");
    CHECK(reader.load_manifest(std::nullopt).description == "second");
}

TEST_CASE("capture's read and used data are the manifest's, as info shows them") {
    TempDir dir;
    write_file(dir / "disk", make_disk());
    const auto result = capture(capture_options(dir));
    ImageReader reader(dir / "image.cimg");
    const auto& m = reader.load_manifest(std::nullopt);
    std::uint64_t zeros = 0;
    for (const auto& z : m.zero_extents) zeros += z.length;
    // A raw capture reads the whole disk; all-zero blocks are left out of the used data.
    CHECK(result.read_bytes == m.disk_size);
    CHECK(result.read_bytes == m.used_bytes() + zeros);
    CHECK(result.stored_plain == m.used_bytes());
    CHECK(result.stored_plain < result.read_bytes);
}
