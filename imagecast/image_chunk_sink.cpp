#include "imagecast/image_chunk_sink.hpp"

#include "imagecast/image_framing.hpp"
#include "imager/checksum.hpp"
#include "imager/errors.hpp"
#include "imager/image_header.hpp"

namespace castline::imagecast {

ImageChunkSink::ImageChunkSink(Options options) : options_(std::move(options)) {}
ImageChunkSink::~ImageChunkSink() = default;

std::string ImageChunkSink::open(std::span<const std::uint8_t> manifest,
                                 std::span<const std::uint32_t> chunk_sizes) {
    return open_checked(manifest, &chunk_sizes);
}

std::string ImageChunkSink::open(std::span<const std::uint8_t> manifest) {
    return open_checked(manifest, nullptr);
}

std::string ImageChunkSink::open_checked(std::span<const std::uint8_t> manifest,
                                         const std::span<const std::uint32_t>* chunk_sizes) {
    const auto decoded = decode_image_frame(manifest);
    if (const auto* error = std::get_if<std::string>(&decoded)) {
        failure_code_ = imager::ExitCode::bad_image;
        return *error;
    }
    const auto& frame = std::get<ImageFrame>(decoded);
    try {
        const auto header = imager::parse_header(frame.header);
        if (imager::xxh3_128(frame.stored_manifest) != header.manifest_checksum)
            throw imager::bad_image("the session's manifest does not match its checksum");
        opened_ = imager::open_manifest(header, frame.stored_manifest, options_.image_password);
        const auto& chunks = opened_->manifest.chunks;
        if (chunk_sizes && chunks.size() != chunk_sizes->size())
            throw imager::bad_image("the session sends " + std::to_string(chunk_sizes->size()) +
                                    " chunks, the manifest lists " + std::to_string(chunks.size()));
        for (std::size_t i = 0; chunk_sizes && i < chunks.size(); ++i)
            if (chunks[i].stored_length != (*chunk_sizes)[i])
                throw imager::bad_image("the session's size of " +
                                        imager::describe_chunk(i, chunks[i]) +
                                        " does not match the manifest");
        if (options_.write) {
            // Checks the target's size first; begin() is the first write.
            target_ = std::make_unique<imager::TargetWriter>(options_.target, opened_->manifest);
            target_->begin();
        }
        codec_ = std::make_unique<imager::ChunkCodec>(0, opened_->key);
    } catch (const imager::ImagerError& e) {
        failure_code_ = e.code;
        return e.what();
    }
    written_.assign(opened_->manifest.chunks.size(), false);
    total_ = opened_->manifest.used_bytes();
    return {};
}

multicast::SinkResult ImageChunkSink::accept(std::uint32_t index,
                                             std::span<const std::uint8_t> bytes) {
    using Kind = multicast::SinkResult::Kind;
    if (index >= written_.size())
        return {Kind::corrupt, "chunk " + std::to_string(index) + " is not in the image"};
    if (written_[index]) return {};
    const auto& entry = opened_->manifest.chunks[index];
    std::vector<std::uint8_t> plain;
    try {
        plain = codec_->decode(index, entry, bytes);
    } catch (const imager::ImagerError& e) {
        return {Kind::corrupt, e.what()};
    }
    try {
        if (target_) target_->write_chunk(entry, plain);
    } catch (const std::exception& e) {
        failure_code_ = imager::ExitCode::io_error;
        return {Kind::error, e.what()};
    }
    written_[index] = true;
    done_ += entry.plain_length;
    return {};
}

imager::ProgressSnapshot ImageChunkSink::progress(
    std::chrono::steady_clock::time_point started) const {
    return {.phase = options_.write ? "restore" : "validate",
            .done = done_bytes(),
            .total = total_,
            .elapsed_seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
}

std::vector<std::uint32_t> ImageChunkSink::missing() const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < written_.size(); ++i)
        if (!written_[i]) out.push_back(i);
    return out;
}

std::string ImageChunkSink::finish() {
    if (!target_) return {};
    try {
        target_->finish();
        if (!options_.verify) return {};
        const auto& chunks = opened_->manifest.chunks;
        for (std::uint64_t i = 0; i < chunks.size(); ++i)
            if (!target_->verify_chunk(chunks[i]))
                throw imager::io_error("verify: " + imager::describe_chunk(i, chunks[i]) +
                                       " reads back different from what was written to " +
                                       options_.target.string());
        if (!target_->verify_tables())
            throw imager::io_error("verify: the partition table reads back different on " +
                                   options_.target.string());
    } catch (const imager::ImagerError& e) {
        failure_code_ = e.code;
        return e.what();
    } catch (const std::exception& e) {
        failure_code_ = imager::ExitCode::io_error;
        return e.what();
    }
    return {};
}

}  // namespace castline::imagecast
