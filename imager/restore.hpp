#pragma once
// Restore: validates the manifest and (unless told not to) every chunk before the first write,
// then decodes chunks on worker threads and writes them to the target, partition tables and
// file system heads last, and optionally re-reads and verifies what it wrote.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "imager/progress.hpp"

namespace castline::imager {

struct RestoreOptions {
    std::filesystem::path image;
    std::filesystem::path target;
    std::optional<std::string> password;
    bool verify = false;
    bool prevalidate = true;
    int threads = 2;
    Progress::Style progress = Progress::Style::quiet;
};

struct RestoreResult {
    std::uint64_t written_bytes = 0;  // chunk plaintext bytes
    std::uint64_t chunks = 0;
    bool verified = false;
    std::vector<std::string> warnings;
};

// Throws ImagerError: bad_image (naming the chunk and its disk offset), wrong_password,
// target_too_small, io_error.
RestoreResult restore(const RestoreOptions& options);

}  // namespace castline::imager
