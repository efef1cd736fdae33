#pragma once
#include <span>

namespace castline::bootmedia {

// `castline bootmedia build --output DIR [...]`; args start after the word "bootmedia".
// Returns the process exit code: 0 built, 1 the build failed, 2 bad usage.
int bootmedia_command(std::span<char*> args);

}  // namespace castline::bootmedia
