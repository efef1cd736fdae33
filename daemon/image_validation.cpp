#include "daemon/image_validation.hpp"

#include <exception>
#include <system_error>

#include "imager/validate.hpp"

namespace castline::daemon {

std::shared_ptr<const CheckedImage> ImageValidation::check(
    const std::filesystem::path& image, const std::optional<std::string>& password) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(image, ec);
    const auto modified =
        ec ? std::filesystem::file_time_type{} : std::filesystem::last_write_time(image, ec);
    if (ec) {
        auto missing = std::make_shared<CheckedImage>();
        missing->problem = image.string() + ": " + ec.message();
        return missing;
    }

    std::lock_guard lock(mutex_);
    if (const auto it = checked_.find(image); it != checked_.end() && it->second.size == size &&
                                              it->second.modified == modified &&
                                              it->second.password == password)
        return it->second.checked;
    auto checked = std::make_shared<CheckedImage>();
    try {
        // Stored checksums only: reads the compressed data once, as restore does first.
        imager::validate({.image = image, .password = password, .stored_only = true});
        checked->source = std::make_unique<imagecast::ImageChunkSource>(image, password);
        checked->needed_bytes = checked->source->needed_bytes();
    } catch (const std::exception& e) {
        checked->problem = e.what();
        checked->source.reset();
    }
    checked_[image] = {size, modified, password, checked};
    return checked;
}

}  // namespace castline::daemon
