#pragma once
// Restore (or validate) an image from a multicast session: the receiver joins the session by
// name through castlined's resolver, and ImageChunkSink verifies and writes every chunk. What
// `castline-imager restore|validate --session` and the job command run.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "imager/progress.hpp"
#include "multicast/receiver.hpp"

namespace castline::imagecast {

// Machines often boot before their session opens, so a restore looks for it longer than the
// receiver's own default.
inline constexpr std::chrono::seconds kRestoreFindTimeout{60};

struct NetworkRestoreOptions {
    // The session (castline://SERVER[:RESOLVERPORT]/NAME), its join password, this machine's
    // name, the interface, memory bound and time limits.
    multicast::ReceiverSettings receiver{.find_timeout = kRestoreFindTimeout};
    std::filesystem::path target;
    std::optional<std::string> image_password;
    bool verify = false;
    bool write = true;  // false: receive and verify every chunk, write nothing
    std::function<void(const imager::ProgressSnapshot&)> on_progress;  // about once a second
};

// Throws imager::ImagerError: wrong_password and target_too_small (refused before anything is
// written), bad_image, io_error, session_failed (refused, not found, dropped, timed out).
void restore_from_session(const NetworkRestoreOptions& options);

}  // namespace castline::imagecast
