#pragma once
#include <span>

namespace castline::cli {

// Each returns the process exit code; args start after the command word.
int config_command(std::span<char*> args);
int wake_command(std::span<char*> args);

}  // namespace castline::cli
