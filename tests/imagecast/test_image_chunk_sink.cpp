// The image source and the restoring sink joined directly, without a network: a full run is
// byte-equal to the disk; a corrupt chunk is refused and not written; a wrong password or a
// too-small target refuses the session before the target is touched.
#include <doctest/doctest.h>

#include "imagecast/image_chunk_sink.hpp"
#include "imagecast/image_chunk_source.hpp"
#include "imager/capture.hpp"
#include "tests/imager/imager_test_support.hpp"

using namespace castline;
using namespace castline::imagecast;
using namespace castline::imager::testing;

namespace {
std::vector<std::uint8_t> make_image(const TempDir& dir) {
    auto disk = text_bytes(3 << 20);
    const auto noise = random_bytes(1 << 20, 5);
    std::copy(noise.begin(), noise.end(), disk.begin() + (1 << 20));
    write_file(dir / "disk", disk);
    imager::CaptureOptions o;
    o.source = dir / "disk";
    o.output = dir / "image.cimg";
    o.raw = true;
    o.level = 1;
    o.password = "pw";
    o.kdf_iterations = 1000;
    o.chunker = {64 * 1024, 256 * 1024, 1024 * 1024};
    imager::capture(o);
    return disk;
}

std::vector<std::uint32_t> sizes(const ImageChunkSource& source) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < source.chunk_count(); ++i) out.push_back(source.chunk_size(i));
    return out;
}
}  // namespace

TEST_CASE("every chunk through the sink restores the disk; a corrupt chunk is not written") {
    TempDir dir;
    const auto disk = make_image(dir);
    ImageChunkSource source(dir / "image.cimg", "pw");
    REQUIRE(source.chunk_count() > 3);
    ImageChunkSink sink({.target = dir / "target", .image_password = "pw", .verify = true});
    REQUIRE(sink.open(source.manifest(), sizes(source)) == "");
    CHECK(sink.missing().size() == source.chunk_count());

    auto damaged = source.read_chunk(2);
    damaged[damaged.size() / 2] ^= 0x40;
    const auto refused = sink.accept(2, damaged);
    CHECK(refused.kind == multicast::SinkResult::Kind::corrupt);
    CHECK(refused.message.find("chunk 2") != std::string::npos);
    CHECK(sink.missing().front() == 0);

    for (std::uint32_t i = 0; i < source.chunk_count(); ++i)
        CHECK(sink.accept(i, source.read_chunk(i)).kind == multicast::SinkResult::Kind::written);
    CHECK(sink.missing().empty());
    CHECK(sink.finish() == "");
    CHECK(read_file(dir / "target") == disk);
    CHECK(sink.done_bytes() == sink.total_bytes());
}

TEST_CASE("a wrong image password or a small target refuses the session, target untouched") {
    TempDir dir;
    make_image(dir);
    ImageChunkSource source(dir / "image.cimg", "pw");

    ImageChunkSink wrong({.target = dir / "a", .image_password = "nope"});
    CHECK(wrong.open(source.manifest(), sizes(source)) != "");
    CHECK(wrong.failure_code() == imager::ExitCode::wrong_password);
    CHECK(!std::filesystem::exists(dir / "a"));

    const auto small = random_bytes(1 << 20, 9);
    write_file(dir / "small", small);
    ImageChunkSink too_small({.target = dir / "small", .image_password = "pw"});
    CHECK(too_small.open(source.manifest(), sizes(source)) != "");
    CHECK(too_small.failure_code() == imager::ExitCode::target_too_small);
    CHECK(read_file(dir / "small") == small);

    ImageChunkSink not_an_image({.target = dir / "b"});
    const std::vector<std::uint8_t> junk(40, 1);
    CHECK(not_an_image.open(junk, {}).find("magic") != std::string::npos);
}
