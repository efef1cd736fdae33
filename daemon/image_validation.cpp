#include "daemon/image_validation.hpp"

#include <exception>
#include <system_error>
#include <variant>

#include "imager/validate.hpp"

namespace castline::daemon {
namespace {

std::shared_ptr<const CheckedImage> problem_only(std::string problem) {
    auto checked = std::make_shared<CheckedImage>();
    checked->problem = std::move(problem);
    return checked;
}

}  // namespace

std::variant<std::string, ImageValidation::FileState> ImageValidation::stat_image(
    const std::filesystem::path& image) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(image, ec);
    const auto modified =
        ec ? std::filesystem::file_time_type{} : std::filesystem::last_write_time(image, ec);
    if (ec) return image.string() + ": " + ec.message();
    return FileState{size, modified};
}

ImageValidation::~ImageValidation() {
    for (auto& worker : workers_) worker.wait();
}

std::shared_ptr<const CheckedImage> ImageValidation::run_check(
    const std::filesystem::path& image, const std::optional<std::string>& password) {
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
    return checked;
}

std::shared_ptr<const CheckedImage> ImageValidation::cached(
    const std::filesystem::path& image, const FileState& state,
    const std::optional<std::string>& password) {
    if (const auto it = checked_.find(image);
        it != checked_.end() && it->second.size == state.size &&
        it->second.modified == state.modified && it->second.password == password)
        return it->second.checked;
    return nullptr;
}

void ImageValidation::store(const std::filesystem::path& image, const FileState& state,
                            const std::optional<std::string>& password,
                            std::shared_ptr<const CheckedImage> checked) {
    checked_[image] = {state.size, state.modified, password, std::move(checked)};
}

std::shared_ptr<const CheckedImage> ImageValidation::check(
    const std::filesystem::path& image, const std::optional<std::string>& password) {
    const auto stat = stat_image(image);
    if (const auto* problem = std::get_if<std::string>(&stat)) return problem_only(*problem);
    const auto& state = std::get<FileState>(stat);
    std::lock_guard lock(mutex_);
    if (auto hit = cached(image, state, password)) return hit;
    auto checked = run_check(image, password);
    store(image, state, password, checked);
    return checked;
}

std::shared_ptr<const CheckedImage> ImageValidation::ready(
    const std::filesystem::path& image, const std::optional<std::string>& password) {
    const auto stat = stat_image(image);
    if (const auto* problem = std::get_if<std::string>(&stat)) return problem_only(*problem);
    const auto& state = std::get<FileState>(stat);
    std::lock_guard lock(mutex_);
    if (auto hit = cached(image, state, password)) return hit;
    if (running_[image]) return nullptr;
    running_[image] = true;
    workers_.remove_if([](const std::future<void>& w) {
        return w.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    });
    workers_.push_back(std::async(std::launch::async, [this, image, password, state] {
        auto checked = run_check(image, password);
        std::lock_guard done(mutex_);
        store(image, state, password, std::move(checked));
        running_.erase(image);
    }));
    return nullptr;
}

}  // namespace castline::daemon
