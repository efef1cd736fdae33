#pragma once
// Writes decoded chunks to a target disk (block device or file) at their pieces. The ranges that
// make a disk look bootable or mountable (restore_plan.hpp) are wiped first and written last.
// write_chunk is thread-safe, so decoders can write in any order.
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "imager/file_io.hpp"
#include "imager/manifest.hpp"

namespace castline::imager {

class TargetWriter {
  public:
    // Opens the target and checks it is large enough (ImagerError target_too_small). A missing
    // target file is created, at the image's disk size, only by begin(). Writes nothing.
    TargetWriter(const std::filesystem::path& target, const Manifest& manifest);

    std::uint64_t size() const { return size_; }
    // Wipes the deferred ranges (old tables and file system heads) and makes the image's zero
    // extents zero. The first write to the target.
    void begin();
    void write_chunk(const ChunkEntry& entry, std::span<const std::uint8_t> plain);
    // Writes the held-back bytes and the partition tables, then syncs. Returns warnings.
    std::vector<std::string> finish();
    // Re-reads a chunk's pieces from the target and compares them with its plaintext checksum.
    bool verify_chunk(const ChunkEntry& entry) const;
    bool verify_tables() const;

  private:
    void write_now_or_later(std::uint64_t offset, std::span<const std::uint8_t> data);

    std::filesystem::path path_;
    const Manifest& manifest_;
    File file_;
    bool create_ = false;
    std::uint64_t size_ = 0;
    std::vector<Extent> deferred_;
    std::mutex pending_mutex_;
    std::vector<TableRegion> pending_;  // bytes for the deferred ranges, written by finish()
    std::vector<TableRegion> tables_;
    std::vector<std::uint8_t> head_before_relocation_;  // empty unless finish() moved a GPT
};

}  // namespace castline::imager
