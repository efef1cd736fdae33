// The plain-file sink of `castline-imager receive`, fed directly by the file source: progress
// counts each chunk once (and what a rerun kept from the start), a corrupt chunk counts for
// nothing, and a refusal says whether the session (bad_image) or the target (io_error) is at
// fault.
#include <doctest/doctest.h>

#include "imagecast/file_receive_sink.hpp"
#include "multicast/file_chunks.hpp"
#include "tests/imager/imager_test_support.hpp"

using namespace castline;
using namespace castline::imagecast;
using namespace castline::imager::testing;

namespace {
constexpr std::uint32_t kChunk = 64 * 1024;

std::vector<std::uint32_t> sizes(const multicast::FileChunkSource& source) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < source.chunk_count(); ++i) out.push_back(source.chunk_size(i));
    return out;
}

imager::ProgressSnapshot now(const FileReceiveSink& sink) {
    return sink.progress(std::chrono::steady_clock::now());
}
}  // namespace

TEST_CASE("every chunk once: the file arrives and progress reaches its size") {
    TempDir dir;
    const auto data = random_bytes(5 * kChunk + 123, 7);
    write_file(dir / "source", data);
    multicast::FileChunkSource source((dir / "source").string(), kChunk);
    FileReceiveSink sink((dir / "target").string(), false);
    REQUIRE(sink.open(source.manifest(), sizes(source)) == "");
    CHECK(now(sink).phase == "receive");
    CHECK(now(sink).total == data.size());
    CHECK(now(sink).done == 0);

    auto damaged = source.read_chunk(1);
    damaged[10] ^= 1;
    CHECK(sink.accept(1, damaged).kind == multicast::SinkResult::Kind::corrupt);
    CHECK(now(sink).done == 0);

    CHECK(sink.accept(0, source.read_chunk(0)).kind == multicast::SinkResult::Kind::written);
    CHECK(sink.accept(0, source.read_chunk(0)).kind == multicast::SinkResult::Kind::written);
    CHECK(now(sink).done == kChunk);
    for (std::uint32_t i = 1; i < source.chunk_count(); ++i)
        CHECK(sink.accept(i, source.read_chunk(i)).kind == multicast::SinkResult::Kind::written);
    CHECK(now(sink).done == data.size());
    CHECK(sink.finish() == "");
    CHECK_FALSE(sink.failure_code());
    CHECK(read_file(dir / "target") == data);
}

TEST_CASE("a rerun counts what the target already holds") {
    TempDir dir;
    const auto data = random_bytes(4 * kChunk, 8);
    write_file(dir / "source", data);
    auto partial = data;
    partial[2 * kChunk + 5] ^= 0xff;  // chunk 2 is wrong, the others are kept
    write_file(dir / "target", partial);
    multicast::FileChunkSource source((dir / "source").string(), kChunk);
    FileReceiveSink sink((dir / "target").string(), false);
    REQUIRE(sink.open(source.manifest(), sizes(source)) == "");
    CHECK(sink.missing() == std::vector<std::uint32_t>{2});
    CHECK(now(sink).done == 3 * kChunk);
    CHECK(sink.accept(2, source.read_chunk(2)).kind == multicast::SinkResult::Kind::written);
    CHECK(now(sink).done == data.size());
    CHECK(sink.finish() == "");
    CHECK(read_file(dir / "target") == data);
}

TEST_CASE("refusals: a session that sends no plain file, a target that cannot be opened") {
    TempDir dir;
    write_file(dir / "source", random_bytes(kChunk, 9));
    multicast::FileChunkSource source((dir / "source").string(), kChunk);

    FileReceiveSink not_a_file((dir / "a").string(), false);
    const std::vector<std::uint8_t> image_manifest = {'C', 'L', 'I', 'M', 'A', 'G', 'E', '1', 0};
    const auto refusal = not_a_file.open(image_manifest, sizes(source));
    CHECK(refusal.find("does not send a plain file") != std::string::npos);
    CHECK(not_a_file.failure_code() == imager::ExitCode::bad_image);
    CHECK_FALSE(std::filesystem::exists(dir / "a"));

    FileReceiveSink wrong_sizes((dir / "b").string(), false);
    CHECK(wrong_sizes.open(source.manifest(), std::vector<std::uint32_t>{kChunk, 1}) != "");
    CHECK(wrong_sizes.failure_code() == imager::ExitCode::bad_image);

    FileReceiveSink no_target((dir / "missing" / "target").string(), false);
    CHECK(no_target.open(source.manifest(), sizes(source)).find("cannot open") !=
          std::string::npos);
    CHECK(no_target.failure_code() == imager::ExitCode::io_error);
}
