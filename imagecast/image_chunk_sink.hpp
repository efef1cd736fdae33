#pragma once
// A multicast ChunkSink that restores an image to a target disk: it opens the image's manifest
// from the session (wrong password and too-small target refuse the session before anything is
// written), verifies each chunk's checksums before its bytes reach the disk, writes through
// imager::TargetWriter (partition tables and file system heads last) and, when asked, re-reads
// everything it wrote.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "imagecast/reporting_chunk_sink.hpp"
#include "imager/chunk_codec.hpp"
#include "imager/errors.hpp"
#include "imager/image_reader.hpp"
#include "imager/progress.hpp"
#include "imager/target_writer.hpp"

namespace castline::imagecast {

class ImageChunkSink final : public ReportingChunkSink {
  public:
    struct Options {
        std::filesystem::path target;
        std::optional<std::string> image_password;
        bool verify = false;
        bool write = true;  // false: verify the chunks only (validate --session)
    };
    explicit ImageChunkSink(Options options);
    ~ImageChunkSink() override;

    std::string open(std::span<const std::uint8_t> manifest,
                     std::span<const std::uint32_t> chunk_sizes) override;
    // For a source that sends no size list of its own (unicast HTTP): the manifest's sizes.
    std::string open(std::span<const std::uint8_t> manifest);
    multicast::SinkResult accept(std::uint32_t index, std::span<const std::uint8_t> bytes) override;
    std::vector<std::uint32_t> missing() const override;
    std::string finish() override;

    // For progress: the image's used bytes, and how many of them have been written.
    std::uint64_t total_bytes() const { return total_; }
    std::uint64_t done_bytes() const { return done_.load(); }
    // Progress since `started`, as restore (or validate, when not writing).
    imager::ProgressSnapshot progress(std::chrono::steady_clock::time_point started) const override;
    // Set once open() refused, or a chunk could not be written.
    std::optional<imager::ExitCode> failure_code() const override { return failure_code_; }

  private:
    std::string open_checked(std::span<const std::uint8_t> manifest,
                             const std::span<const std::uint32_t>* chunk_sizes);

    Options options_;
    std::optional<imager::OpenedManifest> opened_;
    std::unique_ptr<imager::TargetWriter> target_;
    std::unique_ptr<imager::ChunkCodec> codec_;
    std::vector<bool> written_;
    std::uint64_t total_ = 0;
    std::atomic<std::uint64_t> done_{0};
    std::optional<imager::ExitCode> failure_code_;
};

}  // namespace castline::imagecast
