#pragma once
// The images castlined hands to hosts, checked before a host is sent to restore one: a damaged
// image is refused with the imager's own message (first bad chunk and its disk offset) before
// any disk is touched. Each image is checked once and kept open while its file is unchanged
// (size and modification time), so a multi-gigabyte image is read once, not once per host, and
// unicast restores read its chunks through the same opened image. Checking reads the whole image
// (and runs PBKDF2 for an encrypted one), so the daemon asks with `ready`, which checks on a
// thread of its own and never blocks the io thread.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "imagecast/image_chunk_source.hpp"

namespace castline::daemon {

struct CheckedImage {
    std::string problem;             // empty when the image is intact
    std::uint64_t needed_bytes = 0;  // the smallest disk it fits on
    // The opened image, for serving its frame and chunks (null when it has a problem). Not
    // thread-safe: take `mutex` around reads.
    std::unique_ptr<imagecast::ImageChunkSource> source;
    mutable std::mutex mutex;
};

class ImageValidation {
  public:
    ImageValidation() = default;
    ImageValidation(const ImageValidation&) = delete;
    ImageValidation& operator=(const ImageValidation&) = delete;
    // Waits for checks in progress.
    ~ImageValidation();

    // Checks now, in the caller's thread, unless this file as it is now was checked already.
    // An encrypted image needs its password to open the manifest. Never null.
    std::shared_ptr<const CheckedImage> check(const std::filesystem::path& image,
                                              const std::optional<std::string>& password);
    // Without blocking: the result when this file as it is now was checked; a missing or
    // unreadable file's problem at once; otherwise null, after starting the check on a thread of
    // its own (one check per file at a time).
    std::shared_ptr<const CheckedImage> ready(const std::filesystem::path& image,
                                              const std::optional<std::string>& password);
    std::string problem(const std::filesystem::path& image,
                        const std::optional<std::string>& password) {
        return check(image, password)->problem;
    }

  private:
    struct FileState {
        std::uintmax_t size = 0;
        std::filesystem::file_time_type modified{};
    };
    // The file's size and modification time, or the problem opening it.
    static std::variant<std::string, FileState> stat_image(const std::filesystem::path& image);
    static std::shared_ptr<const CheckedImage> run_check(
        const std::filesystem::path& image, const std::optional<std::string>& password);
    // The cached result for this state of the file, or null. Takes mutex_.
    std::shared_ptr<const CheckedImage> cached(const std::filesystem::path& image,
                                               const FileState& state,
                                               const std::optional<std::string>& password);
    void store(const std::filesystem::path& image, const FileState& state,
               const std::optional<std::string>& password,
               std::shared_ptr<const CheckedImage> checked);

    struct Entry {
        std::uintmax_t size = 0;
        std::filesystem::file_time_type modified{};
        std::optional<std::string> password;
        std::shared_ptr<const CheckedImage> checked;
    };
    std::mutex mutex_;
    std::map<std::filesystem::path, Entry> checked_;
    std::map<std::filesystem::path, bool> running_;  // files with a check on a worker thread
    std::list<std::future<void>> workers_;
};

}  // namespace castline::daemon
