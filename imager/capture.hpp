#pragma once
// Capture: reads a disk's used data (or all of it with --raw), cuts it into content-defined
// chunks, compresses, checksums and optionally encrypts them on worker threads, and writes the
// image: header, chunk records in order, manifest, then the final header.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "imager/disk_layout.hpp"
#include "imager/gear_chunker.hpp"
#include "imager/image_key.hpp"
#include "imager/progress.hpp"

namespace castline::imager {

constexpr int kDefaultCompressionLevel = 3;
constexpr std::uint64_t kZeroBlockSize = 64 * 1024;  // all-zero blocks of this size are skipped

struct CaptureOptions {
    std::filesystem::path source;
    std::filesystem::path output;
    int level = kDefaultCompressionLevel;
    std::optional<std::string> password;
    std::uint32_t kdf_iterations = kDefaultKdfIterations;
    bool raw = false;
    bool fallback_to_whole = false;
    std::uint64_t split_size = 0;
    std::string description;
    ChunkerParams chunker;
    int threads = 2;
    Progress::Style progress = Progress::Style::quiet;
    bool overwrite = false;  // replace an existing output (--force); otherwise refused
};

// The names are those of docs/imager.md ("Sizes").
struct CaptureResult {
    std::uint64_t read_bytes = 0;    // "read": disk bytes read, all-zero blocks included
    std::uint64_t stored_plain = 0;  // "used data": read minus all-zero blocks, chunk plaintext
    std::uint64_t image_bytes = 0;
    std::uint64_t chunks = 0;
    std::vector<std::string> warnings;
};

// The layout capture works from: read_disk_layout() when this build has the used-block readers
// and raw is false, otherwise the whole disk as one stored region.
DiskLayout layout_for_capture(const std::filesystem::path& source, bool raw,
                              bool fallback_to_whole);
bool layout_reader_available();

// The disk ranges capture reads: the boot area before the first partition, whole partitions and
// the used extents of the others; sorted and merged. Without partitions: the whole disk.
std::vector<Extent> stored_regions(const DiskLayout& layout);

// Throws ImagerError: bad_usage (bad options, an existing output without overwrite), io_error.
CaptureResult capture(const CaptureOptions& options);

}  // namespace castline::imager
