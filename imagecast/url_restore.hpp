#pragma once
// Restore (or validate) an image served over plain HTTP by castlined, for a single host where a
// multicast session would be overkill: the image frame first (wrong password and too-small
// target refuse before anything is written), then every chunk over a few keep-alive
// connections, each verified by ImageChunkSink before its bytes reach the disk.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "imager/progress.hpp"

namespace castline::imagecast {

struct UrlRestoreOptions {
    std::string url;  // http://HOST[:PORT]/PATH (image_url.hpp)
    std::filesystem::path target;
    std::optional<std::string> image_password;
    bool verify = false;
    bool write = true;  // false: fetch and verify every chunk, write nothing
    int connections = 4;
    // How long the server may stay unreachable before the restore gives up: machines often boot
    // while the network or castlined is still coming up.
    std::chrono::seconds patience{60};
    std::function<void(const imager::ProgressSnapshot&)> on_progress;  // about once a second
};

// Throws imager::ImagerError: bad_usage (a malformed URL), wrong_password and target_too_small
// (before anything is written), bad_image (a chunk that fails its checksum three downloads in a
// row), io_error, session_failed (the server unreachable for `patience`, or refusing).
void restore_from_url(const UrlRestoreOptions& options);

}  // namespace castline::imagecast
