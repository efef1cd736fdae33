#pragma once
// A plain file as chunks: fixed-size chunks (the last one shorter) with an XXH3-64 checksum
// list as the manifest. The sink verifies each chunk against that list and pwrite()s it to its
// offset, so chunks may arrive in any order; an existing target is checked so a rerun resumes.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "multicast/chunk_sink.hpp"
#include "multicast/chunk_source.hpp"

namespace castline::multicast {

struct FileManifest {
    std::uint64_t file_size = 0;
    std::uint32_t chunk_size = 0;
    std::vector<std::uint64_t> checksums;  // XXH3-64 of each chunk

    std::uint32_t chunk_count() const { return static_cast<std::uint32_t>(checksums.size()); }
    std::uint32_t size_of(std::uint32_t index) const;
};

std::vector<std::uint8_t> encode_file_manifest(const FileManifest& m);
// Errors name the field ("chunk_count: ... does not match file_size / chunk_size").
std::variant<FileManifest, std::string> decode_file_manifest(std::span<const std::uint8_t> bytes);

class FileChunkSource final : public ChunkSource {
  public:
    // Reads the file once to checksum it. Throws std::runtime_error naming the file.
    FileChunkSource(const std::string& path, std::uint32_t chunk_size);
    ~FileChunkSource() override;
    std::span<const std::uint8_t> manifest() const override { return manifest_bytes_; }
    std::uint32_t chunk_count() const override { return manifest_.chunk_count(); }
    std::uint32_t chunk_size(std::uint32_t index) const override {
        return manifest_.size_of(index);
    }
    std::vector<std::uint8_t> read_chunk(std::uint32_t index) override;

  private:
    int fd_ = -1;
    std::string path_;
    FileManifest manifest_;
    std::vector<std::uint8_t> manifest_bytes_;
};

class FileChunkSink final : public ChunkSink {
  public:
    // sync: finish() fsyncs, so "done" means on stable storage.
    explicit FileChunkSink(std::string target_path, bool sync = true)
        : path_(std::move(target_path)), sync_(sync) {}
    ~FileChunkSink() override;
    std::string open(std::span<const std::uint8_t> manifest,
                     std::span<const std::uint32_t> chunk_sizes) override;
    SinkResult accept(std::uint32_t index, std::span<const std::uint8_t> bytes) override;
    std::vector<std::uint32_t> missing() const override;
    std::string finish() override;
    // open() found the manifest and chunk table sound, so a refusal after that is the
    // target's (it cannot be opened or sized), not the session's.
    bool manifest_accepted() const { return manifest_accepted_; }

  private:
    std::string path_;
    bool sync_ = true;
    bool manifest_accepted_ = false;
    int fd_ = -1;
    FileManifest manifest_;
    std::vector<bool> written_;
};

}  // namespace castline::multicast
