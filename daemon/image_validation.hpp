#pragma once
// The images castlined hands to hosts, checked before a host is sent to restore one: a damaged
// image is refused with the imager's own message (first bad chunk and its disk offset) before
// any disk is touched. Each image is checked once and kept open while its file is unchanged
// (size and modification time), so a multi-gigabyte image is read once, not once per host, and
// unicast restores read its chunks through the same opened image.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

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
    // An encrypted image needs its password to open the manifest. Never null.
    std::shared_ptr<const CheckedImage> check(const std::filesystem::path& image,
                                              const std::optional<std::string>& password);
    std::string problem(const std::filesystem::path& image,
                        const std::optional<std::string>& password) {
        return check(image, password)->problem;
    }

  private:
    struct Entry {
        std::uintmax_t size = 0;
        std::filesystem::file_time_type modified{};
        std::optional<std::string> password;
        std::shared_ptr<const CheckedImage> checked;
    };
    std::mutex mutex_;
    std::map<std::filesystem::path, Entry> checked_;
};

}  // namespace castline::daemon
