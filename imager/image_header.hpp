#pragma once
// The fixed 512-byte header at the start of an image (docs/image-format.md, "Header"): format
// version, where the manifest is, how the image is split and how it is encrypted.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "imager/checksum.hpp"
#include "imager/image_key.hpp"

namespace castline::imager {

constexpr std::uint16_t kFormatMajor = 1;
constexpr std::uint16_t kFormatMinor = 0;
constexpr std::size_t kHeaderSize = 512;
// The largest stored manifest: what a multicast session carries (multicast::max_manifest_size),
// so every image can be sent, and the most a header can make a reader allocate for it. About
// 800 000 chunks: a disk of several TB at the default chunk size.
constexpr std::uint64_t kMaxManifestSize = 48 * 1024 * 1024;

struct ImageHeader {
    std::uint16_t major = kFormatMajor;
    std::uint16_t minor = kFormatMinor;
    bool encrypted = false;
    std::uint64_t split_size = 0;    // bytes per part file; 0: one file
    std::uint64_t image_length = 0;  // bytes of the whole image, all parts together
    std::uint64_t manifest_offset = 0;
    std::uint64_t manifest_length = 0;
    Hash128 manifest_checksum;  // XXH3-128 of the stored (possibly encrypted) manifest
    std::uint32_t kdf_iterations = 0;
    std::array<std::uint8_t, kSaltSize> salt{};
    std::array<std::uint8_t, kKeyCheckSize> key_check{};

    bool complete() const { return manifest_offset != 0; }
    // The bytes the manifest's GCM tag binds it to (the encryption parameters).
    std::vector<std::uint8_t> manifest_aad() const;
};

std::vector<std::uint8_t> serialize_header(const ImageHeader& header);
// Throws ImagerError(bad_image) naming the problem: not an image, unsupported major version,
// header checksum mismatch, or inconsistent fields.
ImageHeader parse_header(std::span<const std::uint8_t> bytes);

}  // namespace castline::imager
