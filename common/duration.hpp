#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace castline {

// "90", "90s", "15m", "1h", "2d", "1h30m": a whole number of seconds. Bare numbers are seconds.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// "512", "64KiB", "4GiB", "1.5GB" style sizes in bytes (KiB/MiB/GiB/TiB are powers of 1024,
// kB/MB/GB/TB powers of 1000, bare numbers are bytes).
std::optional<std::uint64_t> parse_size(std::string_view text);

// A size for people: "512.0 MiB", "512 bytes" (KiB..EiB, powers of 1024, one decimal).
std::string human_size(std::uint64_t bytes);
// The same keeping the exact number: "512.0 MiB (536870912 bytes)", "512 bytes".
std::string size_text(std::uint64_t bytes);

}  // namespace castline
