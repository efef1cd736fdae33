#include "imager/image_reader.hpp"

#include <algorithm>

#include "imager/chunk_codec.hpp"
#include "imager/errors.hpp"
#include "imager/image_key.hpp"

namespace castline::imager {

OpenedManifest open_manifest(const ImageHeader& header, std::span<const std::uint8_t> stored,
                             const std::optional<std::string>& password) {
    OpenedManifest out;
    if (!header.encrypted) {
        out.manifest = parse_manifest(stored);
        return out;
    }
    if (!password)
        throw ImagerError(ExitCode::wrong_password,
                          "the image is encrypted: give its password with --password-file");
    const auto derived = derive_key(*password, header.salt, header.kdf_iterations);
    if (derived.check != header.key_check)
        throw ImagerError(ExitCode::wrong_password, "wrong password for this image");
    ImageCipher cipher(derived.key);
    std::vector<std::uint8_t> plain;
    if (!cipher.open(ImageCipher::Domain::manifest, 0, header.manifest_aad(), stored, plain))
        throw bad_image("manifest: authentication failed (the manifest is damaged)");
    out.manifest = parse_manifest(plain);
    out.key = derived.key;
    return out;
}

ImageReader::ImageReader(const std::filesystem::path& image) : path_(image), parts_(image) {
    std::vector<std::uint8_t> bytes(kHeaderSize);
    bytes.resize(parts_.read_at(0, bytes));
    header_ = parse_header(bytes);
    if (!header_.complete())
        throw bad_image("image " + image.string() +
                        " is incomplete: its capture did not finish (no manifest)");
    parts_.open_parts(header_.image_length, header_.split_size);
}

std::vector<std::uint8_t> ImageReader::header_bytes() const {
    std::vector<std::uint8_t> bytes(kHeaderSize);
    parts_.read_exact(0, bytes);
    return bytes;
}

std::vector<std::uint8_t> ImageReader::stored_manifest() const {
    // parse_header bounded the length (kMaxManifestSize) and open_parts checked that the files
    // hold it.
    std::vector<std::uint8_t> stored(header_.manifest_length);
    parts_.read_exact(header_.manifest_offset, stored);
    if (xxh3_128(stored) != header_.manifest_checksum)
        throw bad_image("manifest checksum mismatch (image bytes " +
                        std::to_string(header_.manifest_offset) + "-" +
                        std::to_string(header_.manifest_offset + header_.manifest_length - 1) +
                        " are damaged)");
    return stored;
}

const Manifest& ImageReader::load_manifest(const std::optional<std::string>& password) {
    auto opened = open_manifest(header_, stored_manifest(), password);
    for (std::size_t i = 0; i < opened.manifest.chunks.size(); ++i) {
        const auto& c = opened.manifest.chunks[i];
        // Subtracting from the manifest offset, never adding to c.offset: a hostile offset near
        // 2^64 would wrap the sum back into the chunk area.
        if (c.offset < kHeaderSize || c.offset > header_.manifest_offset ||
            kChunkHeaderSize + c.stored_length > header_.manifest_offset - c.offset)
            throw bad_image("manifest: chunk " + std::to_string(i) + " at image offset " +
                            std::to_string(c.offset) + " (" + std::to_string(kChunkHeaderSize) +
                            "-byte header + " + std::to_string(c.stored_length) +
                            " stored bytes) lies outside the chunk area " +
                            std::to_string(kHeaderSize) + ".." +
                            std::to_string(header_.manifest_offset));
    }
    manifest_ = std::move(opened.manifest);
    key_ = opened.key;
    return *manifest_;
}

std::vector<std::uint8_t> ImageReader::read_stored_chunk(std::uint64_t index) const {
    const auto& entry = manifest_->chunks.at(index);
    std::vector<std::uint8_t> record(kChunkHeaderSize + entry.stored_length);
    const auto name = describe_chunk(index, entry);
    if (parts_.read_at(entry.offset, record) != record.size())
        throw bad_image(name + ": image truncated at image offset " + std::to_string(entry.offset));
    const auto header = parse_chunk_header(record, index, name);
    if (header.stored_length != entry.stored_length || header.plain_length != entry.plain_length ||
        header.encrypted != header_.encrypted)
        throw bad_image(name + ": its header does not match the chunk table");
    record.erase(record.begin(), record.begin() + kChunkHeaderSize);
    return record;
}

}  // namespace castline::imager
