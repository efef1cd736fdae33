#include "imagecast/image_framing.hpp"

#include <array>
#include <cstring>

#include "imager/image_header.hpp"

namespace castline::imagecast {
namespace {

constexpr std::array<std::uint8_t, 8> magic = {'C', 'L', 'I', 'M', 'A', 'G', 'E', '1'};
constexpr std::size_t fixed_size = magic.size() + 8;  // magic, header length, manifest length
// The image header is one fixed-size block; the stored manifest is bounded as in an image file
// (imager::kMaxManifestSize), so a forged frame cannot make a receiver allocate more.
constexpr std::uint32_t max_header = imager::kHeaderSize;
constexpr std::uint64_t max_manifest = imager::kMaxManifestSize;

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}
std::uint32_t get32(std::span<const std::uint8_t> b, std::size_t at) {
    return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
           std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}

}  // namespace

std::vector<std::uint8_t> encode_image_frame(const ImageFrame& frame) {
    std::vector<std::uint8_t> out(magic.begin(), magic.end());
    put32(out, static_cast<std::uint32_t>(frame.header.size()));
    put32(out, static_cast<std::uint32_t>(frame.stored_manifest.size()));
    out.insert(out.end(), frame.header.begin(), frame.header.end());
    out.insert(out.end(), frame.stored_manifest.begin(), frame.stored_manifest.end());
    return out;
}

std::variant<ImageFrame, std::string> decode_image_frame(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < fixed_size)
        return "image frame: " + std::to_string(bytes.size()) + " bytes, shorter than the " +
               std::to_string(fixed_size) + "-byte frame header";
    if (std::memcmp(bytes.data(), magic.data(), magic.size()) != 0)
        return std::string("magic at byte 0: not an image frame (is the session sending a file?)");
    const auto header_length = get32(bytes, 8);
    const auto manifest_length = get32(bytes, 12);
    if (header_length == 0 || header_length > max_header)
        return "header_length at byte 8: " + std::to_string(header_length) +
               " is out of range (1.." + std::to_string(max_header) + ")";
    if (manifest_length == 0 || manifest_length > max_manifest)
        return "manifest_length at byte 12: " + std::to_string(manifest_length) +
               " is out of range (1.." + std::to_string(max_manifest) + ")";
    const std::uint64_t total = std::uint64_t{fixed_size} + header_length + manifest_length;
    if (total != bytes.size())
        return "image frame: " + std::to_string(bytes.size()) + " bytes, the lengths say " +
               std::to_string(total);
    ImageFrame frame;
    frame.header.assign(bytes.begin() + fixed_size, bytes.begin() + fixed_size + header_length);
    frame.stored_manifest.assign(bytes.begin() + fixed_size + header_length, bytes.end());
    return frame;
}

}  // namespace castline::imagecast
