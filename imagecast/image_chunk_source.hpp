#pragma once
// An image file as a multicast ChunkSource: receivers get the image header and stored manifest
// (image_framing.hpp) and each chunk's stored bytes, still compressed and, for an encrypted
// image, still encrypted; the sender never holds the plaintext.
#include <filesystem>
#include <optional>
#include <string>

#include "imager/image_reader.hpp"
#include "imager/restore_plan.hpp"
#include "multicast/chunk_source.hpp"

namespace castline::imagecast {

class ImageChunkSource final : public multicast::ChunkSource {
  public:
    // Opens and checks the image; an encrypted one needs its password to read the chunk table.
    // Throws imager::ImagerError (bad_image, wrong_password, io_error).
    ImageChunkSource(const std::filesystem::path& image,
                     const std::optional<std::string>& password);

    std::span<const std::uint8_t> manifest() const override { return frame_; }
    std::uint32_t chunk_count() const override;
    std::uint32_t chunk_size(std::uint32_t index) const override;
    std::vector<std::uint8_t> read_chunk(std::uint32_t index) override;
    // The smallest target the image fits on (imager::minimum_target_size): the number the
    // imager's own check before writing uses, so a disk chosen by it is never refused by size.
    std::uint64_t needed_bytes() const {
        return imager::minimum_target_size(reader_.manifest()).bytes;
    }

  private:
    imager::ImageReader reader_;
    std::vector<std::uint8_t> frame_;
};

}  // namespace castline::imagecast
