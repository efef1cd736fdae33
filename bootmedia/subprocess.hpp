#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "common/subprocess.hpp"

namespace castline::bootmedia {

using castline::ProcessResult;

// Runs a program (no shell) and waits for it. argv[0] is looked up in PATH. With
// merge_stderr the program's stderr is captured with its stdout; otherwise it goes to ours.
// Throws BootmediaError when the program cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::filesystem::path& working_directory = {},
                          bool merge_stderr = false);

// As run_process, but a non-zero exit is a BootmediaError that names the command and shows
// its output.
std::string run_checked(const std::vector<std::string>& argv,
                        const std::filesystem::path& working_directory = {},
                        bool merge_stderr = false);

}  // namespace castline::bootmedia
