#pragma once
// A thin RAII wrapper over a file descriptor with whole-buffer pread/pwrite that throw
// ImagerError(io_error) naming the path and the offset.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace castline::imager {

// Alignment that O_DIRECT accepts on every common file system and device (logical blocks of 512
// or 4096 bytes).
constexpr std::size_t direct_io_alignment = 4096;

class File {
  public:
    enum class Mode { read, write_existing, create_truncate, read_write_create };
    File() = default;
    File(const std::filesystem::path& path, Mode mode);
    ~File();
    File(File&& other) noexcept;
    File& operator=(File&& other) noexcept;
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    bool is_open() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    const std::filesystem::path& path() const { return path_; }

    // Reads exactly data.size() bytes; returns fewer only at end of file.
    std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> data) const;
    void read_exact(std::uint64_t offset, std::span<std::uint8_t> data) const;
    void write_at(std::uint64_t offset, std::span<const std::uint8_t> data) const;
    // Size of a regular file or of a block device (BLKGETSIZE64).
    std::uint64_t size() const;
    bool is_block_device() const;
    std::uint32_t logical_sector_size() const;  // 512 for files
    void sync() const;
    // Asks the kernel to start writing [offset, offset+length) to the device without waiting,
    // so that a later sync() has less left to do. Advisory: errors show up at sync().
    void start_writeback(std::uint64_t offset, std::uint64_t length) const;
    // Turns O_DIRECT on or off; false when the file system refuses it (tmpfs, some network file
    // systems). With it on, offsets, lengths and buffers must be aligned to direct_io_alignment.
    bool set_direct(bool on) const;
    void truncate(std::uint64_t size) const;
    // Makes [offset, offset+length) read as zeros: punches a hole in a file, BLKZEROOUT on a
    // device, and falls back to writing zeros.
    void zero_range(std::uint64_t offset, std::uint64_t length) const;
    void close();

  private:
    int fd_ = -1;
    std::filesystem::path path_;
};

}  // namespace castline::imager
