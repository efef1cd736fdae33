#pragma once
#include <span>

namespace castline::cli {

// Each returns the process exit code; args start after the command word.
int config_command(std::span<char*> args);
int wake_command(std::span<char*> args);
int rollout_command(std::span<char*> args);
int history_command(std::span<char*> args);
int session_command(std::span<char*> args);
int jobs_command(std::span<char*> args);
int reimage_command(std::span<char*> args);
int multicast_command(std::span<char*> args);

}  // namespace castline::cli
