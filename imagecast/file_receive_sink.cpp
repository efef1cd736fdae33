#include "imagecast/file_receive_sink.hpp"

namespace castline::imagecast {

FileReceiveSink::FileReceiveSink(std::string target, bool sync) : file_(std::move(target), sync) {}

std::string FileReceiveSink::open(std::span<const std::uint8_t> manifest,
                                  std::span<const std::uint32_t> chunk_sizes) {
    auto refusal = file_.open(manifest, chunk_sizes);
    if (!refusal.empty()) {
        if (file_.manifest_accepted()) {
            failure_code_ = imager::ExitCode::io_error;
            return refusal;
        }
        failure_code_ = imager::ExitCode::bad_image;
        return "the session does not send a plain file: " + refusal;
    }
    sizes_.assign(chunk_sizes.begin(), chunk_sizes.end());
    in_target_.assign(sizes_.size(), true);
    for (const auto size : sizes_) total_ += size;
    std::uint64_t kept = total_;
    for (const auto index : file_.missing()) {
        in_target_[index] = false;
        kept -= sizes_[index];
    }
    done_ = kept;
    return {};
}

multicast::SinkResult FileReceiveSink::accept(std::uint32_t index,
                                              std::span<const std::uint8_t> bytes) {
    auto result = file_.accept(index, bytes);
    if (result.kind == multicast::SinkResult::Kind::error)
        failure_code_ = imager::ExitCode::io_error;
    // Counted once, however often a chunk arrives.
    if (result.kind == multicast::SinkResult::Kind::written && !in_target_[index]) {
        in_target_[index] = true;
        done_ += sizes_[index];
    }
    return result;
}

std::string FileReceiveSink::finish() {
    auto error = file_.finish();
    if (!error.empty()) failure_code_ = imager::ExitCode::io_error;
    return error;
}

imager::ProgressSnapshot FileReceiveSink::progress(
    std::chrono::steady_clock::time_point started) const {
    return {.phase = "receive",
            .done = done_.load(),
            .total = total_,
            .elapsed_seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
}

}  // namespace castline::imagecast
