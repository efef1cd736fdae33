#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "multicast/file_chunks.hpp"

using namespace castline::multicast;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/castline-mc-test.XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
};
std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 r(seed);
    std::vector<std::uint8_t> b(n);
    for (auto& v : b) v = static_cast<std::uint8_t>(r());
    return b;
}
void write_file(const fs::path& p, const std::vector<std::uint8_t>& b) {
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}
std::vector<std::uint8_t> read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
std::vector<std::uint32_t> sizes_of(ChunkSource& s) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < s.chunk_count(); ++i) out.push_back(s.chunk_size(i));
    return out;
}
}  // namespace

TEST_CASE("a file goes through source and sink in any order, byte for byte") {
    TempDir dir;
    const auto data = random_bytes(10 * 4096 + 123, 1);
    write_file(dir.path / "in", data);
    FileChunkSource source((dir.path / "in").string(), 4096);
    CHECK(source.chunk_count() == 11);
    CHECK(source.chunk_size(10) == 123);
    FileChunkSink sink((dir.path / "out").string());
    REQUIRE(sink.open(source.manifest(), sizes_of(source)) == "");
    CHECK(sink.missing().size() == 11);
    for (std::uint32_t i = 11; i-- > 0;)
        CHECK(sink.accept(i, source.read_chunk(i)).kind == SinkResult::Kind::written);
    CHECK(sink.missing().empty());
    CHECK(sink.finish() == "");
    CHECK(read_file(dir.path / "out") == data);
}

TEST_CASE("a corrupt chunk is refused and nothing is written") {
    TempDir dir;
    const auto data = random_bytes(3 * 4096, 2);
    write_file(dir.path / "in", data);
    FileChunkSource source((dir.path / "in").string(), 4096);
    FileChunkSink sink((dir.path / "out").string());
    REQUIRE(sink.open(source.manifest(), sizes_of(source)) == "");
    auto chunk = source.read_chunk(1);
    chunk[100] ^= 0xFF;
    const auto r = sink.accept(1, chunk);
    CHECK(r.kind == SinkResult::Kind::corrupt);
    CHECK(r.message == "chunk 1: checksum mismatch");
    CHECK(sink.accept(1, std::span(chunk).first(10)).message.starts_with("chunk 1: 10 bytes"));
    CHECK(sink.accept(7, chunk).message == "chunk 7: index out of range");
    const auto out = read_file(dir.path / "out");
    CHECK(std::all_of(out.begin() + 4096, out.begin() + 8192, [](auto b) { return b == 0; }));
    CHECK(sink.missing() == std::vector<std::uint32_t>{0, 1, 2});
}

TEST_CASE("an existing target resumes: verified chunks are not asked for again") {
    TempDir dir;
    const auto data = random_bytes(4 * 4096, 3);
    write_file(dir.path / "in", data);
    auto partial = data;
    std::fill(partial.begin() + 4096, partial.begin() + 8192, 0);
    write_file(dir.path / "out", partial);
    FileChunkSource source((dir.path / "in").string(), 4096);
    FileChunkSink sink((dir.path / "out").string());
    REQUIRE(sink.open(source.manifest(), sizes_of(source)) == "");
    CHECK(sink.missing() == std::vector<std::uint32_t>{1});
}

TEST_CASE("manifest problems are named") {
    FileManifest m;
    m.file_size = 10000;
    m.chunk_size = 4096;
    m.checksums = {1, 2, 3};
    const auto good = encode_file_manifest(m);
    CHECK(std::holds_alternative<FileManifest>(decode_file_manifest(good)));
    auto error = [](std::vector<std::uint8_t> b) {
        return std::get<std::string>(decode_file_manifest(b));
    };
    CHECK(error({}).starts_with("manifest.magic"));
    auto bad = good;
    bad[0] = 0;
    CHECK(error(bad).starts_with("manifest.magic"));
    bad = good;
    bad.pop_back();
    CHECK(error(bad).starts_with("manifest.checksums"));
    m.checksums = {1, 2};
    CHECK(error(encode_file_manifest(m)).starts_with("manifest.chunk_count"));
    m.chunk_size = 0;
    CHECK(error(encode_file_manifest(m)).starts_with("manifest.chunk_size"));
    TempDir dir;
    FileChunkSink sink((dir.path / "out").string());
    const std::vector<std::uint32_t> sizes{4096, 4096};
    CHECK(sink.open(good, sizes).find("chunk table") != std::string::npos);
    const std::vector<std::uint32_t> wrong{4096, 4096, 1000};
    CHECK(sink.open(good, wrong).starts_with("chunk 2: size 1000"));
    CHECK_THROWS_WITH_AS(FileChunkSource("/nonexistent/file", 4096),
                         doctest::Contains("/nonexistent/file"), std::runtime_error);
}
