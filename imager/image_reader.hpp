#pragma once
// Reading an image: the header, the manifest (checked, decrypted and parsed) and any chunk's
// stored bytes by index. This is the API the multicast sender and receiver use: the sender reads
// the manifest and stored chunks; the receiver decodes them with ChunkCodec and writes them with
// TargetWriter.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "imager/image_header.hpp"
#include "imager/manifest.hpp"
#include "imager/split_file_set.hpp"

namespace castline::imager {

// Decrypts and parses a stored manifest given the header (for receivers that get the header and
// manifest bytes over the network). Throws ImagerError: wrong_password when the key check value
// does not match, bad_image when the manifest is damaged.
struct OpenedManifest {
    Manifest manifest;
    std::optional<std::array<std::uint8_t, 32>> key;  // the image key, when encrypted
};
OpenedManifest open_manifest(const ImageHeader& header, std::span<const std::uint8_t> stored,
                             const std::optional<std::string>& password);

class ImageReader {
  public:
    // Opens the first part, reads and checks the header, then opens and checks every part.
    explicit ImageReader(const std::filesystem::path& image);

    const ImageHeader& header() const { return header_; }
    std::vector<std::uint8_t> header_bytes() const;
    // The stored manifest bytes, checked against the header's checksum.
    std::vector<std::uint8_t> stored_manifest() const;
    // Reads and opens the manifest. An encrypted image needs the password (ImagerError
    // wrong_password otherwise). Checks that every chunk lies between header and manifest.
    const Manifest& load_manifest(const std::optional<std::string>& password);
    const Manifest& manifest() const { return *manifest_; }
    const std::optional<std::array<std::uint8_t, 32>>& key() const { return key_; }

    // The stored bytes of chunk `index` (after checking its chunk header against the table).
    // Does not check the stored checksum: ChunkCodec::decode and stored_checksum_matches do.
    std::vector<std::uint8_t> read_stored_chunk(std::uint64_t index) const;

  private:
    std::filesystem::path path_;
    SplitReader parts_;
    ImageHeader header_;
    std::optional<Manifest> manifest_;
    std::optional<std::array<std::uint8_t, 32>> key_;
};

}  // namespace castline::imager
