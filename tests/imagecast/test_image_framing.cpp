#include <doctest/doctest.h>

#include <variant>

#include "imagecast/image_framing.hpp"

using namespace castline::imagecast;

namespace {
std::string error_of(const std::vector<std::uint8_t>& bytes) {
    const auto decoded = decode_image_frame(bytes);
    const auto* error = std::get_if<std::string>(&decoded);
    return error ? *error : "";
}
}  // namespace

TEST_CASE("a frame round-trips header and manifest") {
    const ImageFrame frame{{1, 2, 3}, {4, 5, 6, 7}};
    const auto bytes = encode_image_frame(frame);
    CHECK(bytes.size() == 16 + 7);
    const auto decoded = decode_image_frame(bytes);
    REQUIRE(std::holds_alternative<ImageFrame>(decoded));
    CHECK(std::get<ImageFrame>(decoded).header == frame.header);
    CHECK(std::get<ImageFrame>(decoded).stored_manifest == frame.stored_manifest);
}

TEST_CASE("every damaged frame is refused, naming what is wrong") {
    const auto good = encode_image_frame({{1, 2, 3}, {4, 5, 6, 7}});
    for (std::size_t n = 0; n < good.size(); ++n)
        CHECK(!error_of({good.begin(), good.begin() + static_cast<long>(n)}).empty());
    auto bad_magic = good;
    bad_magic[0] = 'X';
    CHECK(error_of(bad_magic).find("magic at byte 0") != std::string::npos);
    auto longer = good;
    longer.push_back(0);
    CHECK(error_of(longer).find("the lengths say 23") != std::string::npos);
    auto zero_header = good;
    zero_header[11] = 0;
    CHECK(error_of(zero_header).find("header_length at byte 8") != std::string::npos);
    auto huge_manifest = good;
    huge_manifest[12] = 0x7f;
    CHECK(error_of(huge_manifest).find("manifest_length at byte 12") != std::string::npos);
    // A header is one 512-byte block; a manifest at most 48 MiB, as in an image file.
    auto long_header = good;
    long_header[10] = 0x02;  // big-endian 0x0201: 513
    long_header[11] = 0x01;
    CHECK(error_of(long_header).find("header_length at byte 8: 513 is out of range (1..512)") !=
          std::string::npos);
    auto big_manifest = good;
    const std::uint32_t length = (48u << 20) + 1;
    for (int i = 0; i < 4; ++i)
        big_manifest[12 + static_cast<std::size_t>(i)] =
            static_cast<std::uint8_t>(length >> (24 - 8 * i));
    CHECK(error_of(big_manifest)
              .find("manifest_length at byte 12: 50331649 is out of range (1..50331648)") !=
          std::string::npos);
}
