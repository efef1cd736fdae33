#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/image_header.hpp"

using namespace castline::imager;

namespace {
ImageHeader sample() {
    ImageHeader h;
    h.encrypted = true;
    h.split_size = 4ULL << 30;
    h.image_length = 10ULL << 30;
    h.manifest_offset = 9ULL << 30;
    h.manifest_length = 12345;
    h.manifest_checksum.bytes[3] = 7;
    h.kdf_iterations = 600000;
    h.salt[0] = 0xAB;
    h.key_check[15] = 0xCD;
    return h;
}
}  // namespace

TEST_CASE("the header is 512 bytes and round trips") {
    const auto bytes = serialize_header(sample());
    REQUIRE(bytes.size() == kHeaderSize);
    const auto h = parse_header(bytes);
    CHECK(h.encrypted);
    CHECK(h.split_size == 4ULL << 30);
    CHECK(h.manifest_offset == 9ULL << 30);
    CHECK(h.manifest_checksum == sample().manifest_checksum);
    CHECK(h.salt == sample().salt);
    CHECK(h.key_check == sample().key_check);
    CHECK(h.kdf_iterations == 600000);
}

TEST_CASE("an unknown major version is refused by version, before the checksum") {
    auto bytes = serialize_header(sample());
    bytes[8] = 2;
    CHECK_THROWS_WITH_AS(parse_header(bytes),
                         doctest::Contains("unsupported image format version 2.0"), ImagerError);
}

TEST_CASE("a newer minor version is accepted") {
    auto h = sample();
    h.minor = 7;
    CHECK(parse_header(serialize_header(h)).minor == 7);
}

TEST_CASE("damage and nonsense are refused with clear messages") {
    auto bytes = serialize_header(sample());
    bytes[100] ^= 1;
    CHECK_THROWS_WITH_AS(parse_header(bytes), doctest::Contains("header checksum mismatch"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(parse_header(std::vector<std::uint8_t>(512, 0)),
                         doctest::Contains("not a castline image"), ImagerError);
    const auto good = serialize_header(sample());
    CHECK_THROWS_WITH_AS(parse_header({good.data(), 100}), doctest::Contains("truncated"),
                         ImagerError);
    auto h = sample();
    h.manifest_offset = h.image_length;  // manifest past the end
    CHECK_THROWS_WITH_AS(parse_header(serialize_header(h)), doctest::Contains("outside the image"),
                         ImagerError);
    h = sample();
    h.kdf_iterations = 0;
    CHECK_THROWS_WITH_AS(parse_header(serialize_header(h)), doctest::Contains("iteration count"),
                         ImagerError);
}

TEST_CASE("a manifest longer than 48 MiB is refused from the header, before any allocation") {
    auto h = sample();
    h.manifest_length = kMaxManifestSize;
    CHECK_NOTHROW(parse_header(serialize_header(h)));
    for (const std::uint64_t length : {kMaxManifestSize + 1, std::uint64_t{1} << 31}) {
        h.manifest_length = length;
        h.image_length = h.manifest_offset + length;  // the length alone is what is wrong
        CHECK_THROWS_WITH_AS(parse_header(serialize_header(h)),
                             ("image header: manifest length " + std::to_string(length) +
                              " is larger than the 48 MiB a manifest may have")
                                 .c_str(),
                             ImagerError);
    }
}
