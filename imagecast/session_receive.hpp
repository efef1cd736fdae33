#pragma once
// Runs one multicast receiver into a sink until it ends, reporting progress about once a second,
// and turns how it ended into castline-imager's exit codes. What `restore|validate --session`
// and `receive` share, so that both end the same way for the same reason.
#include <functional>

#include "imagecast/reporting_chunk_sink.hpp"
#include "imager/progress.hpp"
#include "multicast/receiver.hpp"

namespace castline::imagecast {

// Returns when every chunk is in. Throws imager::ImagerError: the sink's failure code with its
// reason, otherwise session_failed naming what happened (refused, not found, dropped, timed
// out, failed) and the receiver's summary.
void receive_session(const multicast::ReceiverSettings& settings, ReportingChunkSink& sink,
                     const std::function<void(const imager::ProgressSnapshot&)>& on_progress);

}  // namespace castline::imagecast
