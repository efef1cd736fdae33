#include "imagecast/image_chunk_source.hpp"

#include "imagecast/image_framing.hpp"

namespace castline::imagecast {

ImageChunkSource::ImageChunkSource(const std::filesystem::path& image,
                                   const std::optional<std::string>& password)
    : reader_(image) {
    reader_.load_manifest(password);
    frame_ = encode_image_frame({reader_.header_bytes(), reader_.stored_manifest()});
}

std::uint32_t ImageChunkSource::chunk_count() const {
    return static_cast<std::uint32_t>(reader_.manifest().chunks.size());
}

std::uint32_t ImageChunkSource::chunk_size(std::uint32_t index) const {
    return static_cast<std::uint32_t>(reader_.manifest().chunks.at(index).stored_length);
}

std::vector<std::uint8_t> ImageChunkSource::read_chunk(std::uint32_t index) {
    return reader_.read_stored_chunk(index);
}

}  // namespace castline::imagecast
