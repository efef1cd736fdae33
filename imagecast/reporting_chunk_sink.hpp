#pragma once
// A ChunkSink that can say how far it is and, when it failed, which of castline-imager's exit
// codes that deserves (a wrong image password, a target too small, an I/O error): the receiver
// itself only knows that the sink refused or failed.
#include <chrono>
#include <optional>

#include "imager/errors.hpp"
#include "imager/progress.hpp"
#include "multicast/chunk_sink.hpp"

namespace castline::imagecast {

class ReportingChunkSink : public multicast::ChunkSink {
  public:
    // Progress since `started`.
    virtual imager::ProgressSnapshot progress(
        std::chrono::steady_clock::time_point started) const = 0;
    // Set once the sink refused the session or failed: the ImagerError's code.
    virtual std::optional<imager::ExitCode> failure_code() const = 0;
};

}  // namespace castline::imagecast
