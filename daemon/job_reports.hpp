#pragma once
// The imager's reports on a job (docs/jobs.md), parsed from their JSON bodies. Pure; errors name
// the field ("done_bytes: expected a number of bytes >= 0").
#include <string>
#include <string_view>
#include <variant>

#include "daemon/job_store.hpp"

namespace castline::daemon {

struct JobResult {
    JobState state = JobState::done;  // done or failed
    std::string stage;
    std::string error;
};

std::variant<JobProgress, std::string> parse_progress_report(std::string_view body);
std::variant<JobResult, std::string> parse_result_report(std::string_view body);

}  // namespace castline::daemon
