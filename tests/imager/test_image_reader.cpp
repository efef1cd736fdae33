// Opening images whose header or manifest was crafted to point outside the image: offsets that
// wrap past 2^64 and a manifest length meant to make the reader allocate gigabytes are refused
// with a message naming the field and the chunk, before anything is read or allocated.
#include <doctest/doctest.h>

#include <functional>

#include "imager/capture.hpp"
#include "imager/errors.hpp"
#include "imager/image_header.hpp"
#include "imager/image_reader.hpp"
#include "imager/manifest.hpp"
#include "imager_test_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

namespace {

std::filesystem::path small_image(const TempDir& dir) {
    write_file(dir / "disk", text_bytes(2 << 20));
    CaptureOptions o;
    o.source = dir / "disk";
    o.output = dir / "image.cimg";
    o.raw = true;
    o.level = 1;
    o.chunker = {64 * 1024, 256 * 1024, 1024 * 1024};
    capture(o);
    return o.output;
}

// Rewrites an unencrypted image with its manifest changed by `change`, keeping header and
// checksums consistent, so that only the changed fields are wrong.
void rewrite_manifest(const std::filesystem::path& image,
                      const std::function<void(Manifest&)>& change) {
    auto bytes = read_file(image);
    auto header = parse_header({bytes.data(), kHeaderSize});
    auto manifest = parse_manifest(
        {bytes.data() + header.manifest_offset, static_cast<std::size_t>(header.manifest_length)});
    change(manifest);
    const auto body = serialize_manifest(manifest);
    bytes.resize(static_cast<std::size_t>(header.manifest_offset));
    bytes.insert(bytes.end(), body.begin(), body.end());
    header.manifest_length = body.size();
    header.manifest_checksum = xxh3_128(body);
    header.image_length = bytes.size();
    const auto head = serialize_header(header);
    std::copy(head.begin(), head.end(), bytes.begin());
    write_file(image, bytes);
}

std::string error_opening(const std::filesystem::path& image) {
    try {
        ImageReader reader(image);
        reader.load_manifest(std::nullopt);
    } catch (const ImagerError& e) {
        CHECK(e.code == ExitCode::bad_image);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a chunk offset that wraps past 2^64 is refused, naming the chunk") {
    TempDir dir;
    const auto image = small_image(dir);
    REQUIRE(error_opening(image).empty());
    std::uint32_t stored = 0;
    rewrite_manifest(image, [&](Manifest& m) {
        REQUIRE(m.chunks.size() > 2);
        stored = m.chunks[1].stored_length;
        // offset + 32-byte header + stored length wraps to a small number inside the image.
        m.chunks[1].offset = UINT64_MAX - 31;
        m.chunks.resize(2);
    });
    CHECK(error_opening(image) ==
          "manifest: chunk 1: image offset 18446744073709551584 + 32-byte header + stored length " +
              std::to_string(stored) + " wraps past 2^64");
}

TEST_CASE("a chunk record running into the manifest is refused, naming the chunk") {
    TempDir dir;
    const auto image = small_image(dir);
    std::uint64_t manifest_offset = 0;
    rewrite_manifest(image, [&](Manifest& m) {
        const auto& last = m.chunks.back();
        manifest_offset = last.offset + kChunkHeaderSize + last.stored_length;
        m.chunks.back().offset += 8;
    });
    const auto error = error_opening(image);
    CHECK(error.find("manifest: chunk ") == 0);
    CHECK(error.find("lies outside the chunk area 512.." + std::to_string(manifest_offset)) !=
          std::string::npos);
}

TEST_CASE("a header claiming a manifest over 48 MiB is refused before the manifest is read") {
    TempDir dir;
    const auto image = small_image(dir);
    auto bytes = read_file(image);
    auto header = parse_header({bytes.data(), kHeaderSize});
    // The file really is that long (sparse), so only the length limit can refuse it.
    header.manifest_length = kMaxManifestSize + 1;
    header.image_length = header.manifest_offset + header.manifest_length;
    const auto head = serialize_header(header);
    std::copy(head.begin(), head.end(), bytes.begin());
    write_file(image, bytes);
    std::filesystem::resize_file(image, header.image_length);
    CHECK(error_opening(image) ==
          "image header: manifest length 50331649 is larger than the 48 MiB a manifest may have");
}
