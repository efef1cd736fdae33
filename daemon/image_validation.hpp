#pragma once
// Whether an image's stored chunks are intact, checked before a host is sent to restore it: a
// damaged image is refused with the imager's own message (first bad chunk and its disk offset)
// before any disk is touched. Results are kept per file and re-checked when the file changes
// (size or modification time), so a multi-gigabyte image is read once, not once per host.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace castline::daemon {

class ImageValidation {
  public:
    // Empty when the image is intact; otherwise what is wrong with it. An encrypted image needs
    // its password to open the manifest.
    std::string problem(const std::filesystem::path& image,
                        const std::optional<std::string>& password);

  private:
    struct Entry {
        std::uintmax_t size = 0;
        std::filesystem::file_time_type modified{};
        std::string problem;
    };
    std::mutex mutex_;
    std::map<std::filesystem::path, Entry> checked_;
};

}  // namespace castline::daemon
