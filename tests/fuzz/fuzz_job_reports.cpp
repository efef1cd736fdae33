// Any bytes as an imager's progress or result report: parsed or refused with a message naming
// the field, never a crash.
#include <cstdint>
#include <string_view>

#include "daemon/job_reports.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::daemon;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto progress = parse_progress_report(body);
    if (const auto* p = std::get_if<JobProgress>(&progress))
        if (p->percent < 0 || p->percent > 100 || p->done_bytes < 0) __builtin_trap();
    const auto result = parse_result_report(body);
    if (const auto* r = std::get_if<JobResult>(&result))
        if (r->state == JobState::failed && r->error.empty()) __builtin_trap();
    return 0;
}
