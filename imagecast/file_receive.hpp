#pragma once
// Receive a plain file from a multicast session (`castline multicast send --file`) into a target
// file: what `castline-imager receive` runs. Every chunk is checked against the session's
// checksum list before it is written; a rerun into the same target keeps what verifies.
#include <functional>
#include <string>

#include "imager/progress.hpp"
#include "multicast/receiver.hpp"

namespace castline::imagecast {

struct FileReceiveOptions {
    multicast::ReceiverSettings receiver;  // the session, its password, name, limits
    std::string target;
    bool sync = true;  // fsync the target before reporting done
    std::function<void(const imager::ProgressSnapshot&)> on_progress;  // about once a second
};

// Throws imager::ImagerError: bad_image (the session sends no plain file), io_error (the
// target), session_failed (refused, not found, dropped, timed out).
void receive_file(const FileReceiveOptions& options);

}  // namespace castline::imagecast
