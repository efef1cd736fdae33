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
#include "multicast/session_address.hpp"

namespace castline::imagecast {

struct NetworkRestoreOptions {
    multicast::SessionAddress session;  // castline://SERVER[:RESOLVERPORT]/NAME
    std::string session_password;
    std::filesystem::path target;
    std::optional<std::string> image_password;
    bool verify = false;
    bool write = true;  // false: receive and verify every chunk, write nothing
    std::string client_name;
    std::chrono::seconds find_timeout{60};  // machines often boot before the session opens
    std::chrono::seconds timeout{0};        // 0: none
    std::function<void(const imager::ProgressSnapshot&)> on_progress;  // about once a second
};

// Throws imager::ImagerError: wrong_password and target_too_small (refused before anything is
// written), bad_image, io_error, session_failed (not found, dropped, timed out).
void restore_from_session(const NetworkRestoreOptions& options);

}  // namespace castline::imagecast
