#include "daemon/image_validation.hpp"

#include <exception>
#include <system_error>

#include "imager/validate.hpp"

namespace castline::daemon {

std::string ImageValidation::problem(const std::filesystem::path& image,
                                     const std::optional<std::string>& password) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(image, ec);
    if (ec) return image.string() + ": " + ec.message();
    const auto modified = std::filesystem::last_write_time(image, ec);
    if (ec) return image.string() + ": " + ec.message();

    std::lock_guard lock(mutex_);
    if (const auto it = checked_.find(image);
        it != checked_.end() && it->second.size == size && it->second.modified == modified)
        return it->second.problem;
    Entry entry{size, modified, {}};
    try {
        // Stored checksums only: reads the compressed data once, as restore does first.
        imager::validate({.image = image, .password = password, .stored_only = true});
    } catch (const std::exception& e) {
        entry.problem = e.what();
    }
    checked_[image] = entry;
    return entry.problem;
}

}  // namespace castline::daemon
