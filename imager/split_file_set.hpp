#pragma once
// An image stored as one logical byte stream cut into part files of at most split_size bytes:
// NAME.cimg, NAME.cimg.1, NAME.cimg.2, ... (docs/image-format.md, "Split images").
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "imager/background_flush.hpp"
#include "imager/file_io.hpp"

namespace castline::imager {

std::filesystem::path part_path(const std::filesystem::path& first, std::size_t part);
// Part files of an image of `length` bytes split every `split_size` bytes (0: not split).
std::uint64_t part_file_count(std::uint64_t length, std::uint64_t split_size);

// Writes the stream front to back; write_start rewrites bytes of the first part (the header).
// Where the file system takes O_DIRECT and parts are cut at aligned sizes, the stream goes to the
// device in aligned 4 MiB stages instead of through the page cache: copying a capture's image
// into the page cache and writing it back cost more CPU than the device needs (direct writes
// here: 1.8 GB/s; buffered with fsync: 0.33 GB/s), and a background thread flushes them from
// the device's cache every 32 MiB.
class SplitWriter {
  public:
    SplitWriter(std::filesystem::path first, std::uint64_t split_size);  // 0: no split
    void append(std::span<const std::uint8_t> data);
    void write_start(std::span<const std::uint8_t> data);  // at stream offset 0, in part 0
    std::uint64_t length() const { return length_; }
    // Syncs every part and removes stale parts beyond the last (left by an older image).
    void finish();
    std::size_t part_count() const { return parts_.size(); }

  private:
    // Calls fn(part, offset in part, length) for each part piece of [offset, offset+length).
    template <typename Fn>
    void for_each_piece(std::uint64_t offset, std::uint64_t length, Fn fn);
    void write_pieces(std::uint64_t offset, std::span<const std::uint8_t> data);
    void flush_stage(std::size_t length);  // the stage's first `length` bytes (aligned)
    // Every kWritebackStep bytes written, starts getting them onto stable storage.
    void write_back_until(std::uint64_t end);

    std::filesystem::path first_;
    std::uint64_t split_size_;
    std::uint64_t length_ = 0;
    std::uint64_t writeback_from_ = 0;  // stream bytes before this are being written back
    std::vector<File> parts_;
    struct FreeBytes {
        void operator()(std::uint8_t* p) const { std::free(p); }
    };
    std::unique_ptr<std::uint8_t, FreeBytes> stage_;  // null: buffered writes
    std::unique_ptr<BackgroundFlush> flush_;          // with stage_
    std::size_t staged_ = 0;                          // bytes in the stage
    std::uint64_t stage_offset_ = 0;                  // stream offset of the stage's first byte
    std::vector<std::uint8_t> pending_start_;         // write_start bytes already past the stage
};

// Reads any byte range of the stream. open() checks that every part is present and has the size
// the header implies, naming a missing or short part.
class SplitReader {
  public:
    // Opens the first part only (to read the header).
    explicit SplitReader(std::filesystem::path first);
    // Opens the remaining parts for an image of `length` bytes split every `split_size` bytes.
    // Throws ImagerError(bad_image) naming a missing part or one of the wrong size.
    void open_parts(std::uint64_t length, std::uint64_t split_size);
    std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> data) const;
    void read_exact(std::uint64_t offset, std::span<std::uint8_t> data) const;
    std::uint64_t first_part_size() const { return parts_.front().size(); }
    std::size_t part_count() const { return parts_.size(); }

  private:
    std::filesystem::path first_;
    std::uint64_t split_size_ = 0;
    std::uint64_t length_ = 0;
    std::vector<File> parts_;
};

}  // namespace castline::imager
