#pragma once
// A plain file received from a session (`castline-imager receive`): multicast::FileChunkSink
// verifies and writes every chunk and keeps what an earlier run left; this counts the bytes for
// progress and says which exit code a refusal or failure deserves.
#include <atomic>
#include <string>
#include <vector>

#include "imagecast/reporting_chunk_sink.hpp"
#include "multicast/file_chunks.hpp"

namespace castline::imagecast {

class FileReceiveSink final : public ReportingChunkSink {
  public:
    // sync: finish() fsyncs the target, so "done" means on stable storage.
    FileReceiveSink(std::string target, bool sync);

    std::string open(std::span<const std::uint8_t> manifest,
                     std::span<const std::uint32_t> chunk_sizes) override;
    multicast::SinkResult accept(std::uint32_t index, std::span<const std::uint8_t> bytes) override;
    std::vector<std::uint32_t> missing() const override { return file_.missing(); }
    std::string finish() override;

    // phase "receive": bytes of the file in the target (those a rerun kept count from the start).
    imager::ProgressSnapshot progress(std::chrono::steady_clock::time_point started) const override;
    // bad_image: the session sends no plain file (an image session, a damaged manifest);
    // io_error: the target cannot be opened, written or synced.
    std::optional<imager::ExitCode> failure_code() const override { return failure_code_; }

  private:
    multicast::FileChunkSink file_;
    std::vector<std::uint32_t> sizes_;
    std::vector<bool> in_target_;
    std::uint64_t total_ = 0;
    std::atomic<std::uint64_t> done_{0};
    std::optional<imager::ExitCode> failure_code_;
};

}  // namespace castline::imagecast
