#pragma once
// One error type for the whole imager, carrying the documented exit code of the failure class,
// so every layer can say what went wrong and the program maps it to an exit status in one place.
#include <stdexcept>
#include <string>

namespace castline::imager {

// Exit codes of castline-imager (docs/imager.md). Other programs and scripts rely on them.
enum class ExitCode : int {
    success = 0,
    bad_usage = 2,
    bad_image = 3,
    wrong_password = 4,
    target_too_small = 5,
    io_error = 6,
    postconfig_failed = 7,
    session_failed = 8,
    no_target_disk = 9,
};

struct ImagerError : std::runtime_error {
    ImagerError(ExitCode c, const std::string& message) : std::runtime_error(message), code(c) {}
    ExitCode code;
};

inline ImagerError bad_image(const std::string& message) {
    return ImagerError(ExitCode::bad_image, message);
}
inline ImagerError io_error(const std::string& message) {
    return ImagerError(ExitCode::io_error, message);
}
inline ImagerError postconfig_failed(const std::string& message) {
    return ImagerError(ExitCode::postconfig_failed, message);
}

}  // namespace castline::imager
