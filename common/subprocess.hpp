#pragma once
// Running a program without a shell (argv as given) and collecting its output, for the tools
// castline drives: the boot media builder's strip/ldd/apt, the imager's mtools.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace castline {

struct ProcessResult {
    int exit_code = -1;  // -1 when killed by a signal
    std::string output;  // stdout (and stderr when merged)
};

struct ProcessOptions {
    std::filesystem::path working_directory;  // empty: ours
    bool merge_stderr = false;                // otherwise the program's stderr goes to ours
    std::vector<std::string> environment;     // NAME=VALUE added to (or replacing in) ours
};

struct ProcessError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Runs argv (argv[0] looked up in PATH) with stdin from /dev/null and waits for it. Throws
// ProcessError when the program cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

}  // namespace castline
