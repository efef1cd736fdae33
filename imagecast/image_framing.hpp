#pragma once
// What a receiver gets as the session's manifest when the session sends an image: the image's
// header and its stored (possibly encrypted) manifest, framed so the receiver can open them
// exactly as it would open the file. docs/multicast.md, "Image sessions".
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace castline::imagecast {

struct ImageFrame {
    std::vector<std::uint8_t> header;
    std::vector<std::uint8_t> stored_manifest;
};

std::vector<std::uint8_t> encode_image_frame(const ImageFrame& frame);
// Errors name the field and its byte offset ("header_length at byte 12: ...").
std::variant<ImageFrame, std::string> decode_image_frame(std::span<const std::uint8_t> bytes);

}  // namespace castline::imagecast
