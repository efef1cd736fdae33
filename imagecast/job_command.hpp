#pragma once
// castline-imager job: the netbooted machine's whole job (docs/jobs.md). Fetches the job from
// castlined, chooses the target disk by the job's rule, restores from the job's multicast
// session (verifying every chunk before it is written), applies the host's post-config only
// after a good restore, reports progress about once a second and the result, and leaves the
// power action for the init. Errors name the stage and are reported to castlined.
#include <filesystem>
#include <string>

namespace castline::imagecast {

struct JobOptions {
    std::string server;  // HOST:PORT of castlined's boot HTTP server
    std::string token;
    std::filesystem::path sysfs = "/sys/block";
    std::filesystem::path power_file = "/run/castline/power_action";
    bool allow_loop = false;  // tests: loop devices count as disks
};

// Returns the exit code (docs/imager.md).
int run_job(const JobOptions& options);

}  // namespace castline::imagecast
