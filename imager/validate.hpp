#pragma once
// Validation of an image without a target: the header, every split part, the manifest and
// every chunk (stored checksum, decryption, decompression, plaintext checksum).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "imager/image_reader.hpp"
#include "imager/progress.hpp"

namespace castline::imager {

struct ValidateOptions {
    std::filesystem::path image;
    std::optional<std::string> password;
    bool stored_only = false;  // check stored checksums only (what restore does before writing)
    Progress::Style progress = Progress::Style::quiet;
};

struct ValidateResult {
    std::uint64_t chunks = 0;
    std::uint64_t plain_bytes = 0;
};

// Throws ImagerError(bad_image) naming the first bad chunk and its disk offset.
ValidateResult validate(const ValidateOptions& options);

// Checks the stored checksum of every chunk of an opened image, in order.
void validate_stored_chunks(const ImageReader& reader, Progress* progress);

}  // namespace castline::imager
