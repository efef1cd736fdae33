#pragma once
// What of an HTTP request target goes into the log. A job token is the job's only credential
// (docs/jobs.md) and rides in the path, so a log reader must not be able to replay it.
#include <cstddef>
#include <string>
#include <string_view>

namespace castline::daemon {

// Enough of a token to tell jobs apart in the log and to find the job with `castline jobs`.
inline constexpr std::size_t logged_token_length = 8;

// `target` with the path segment after each "/jobs/" cut to logged_token_length characters and
// marked with "...": /api/v1/jobs/0123abcd.../progress.
std::string loggable_target(std::string_view target);

}  // namespace castline::daemon
