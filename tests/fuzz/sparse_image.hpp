#pragma once
// A small disk image as a fuzz input: a mkfs-made file system is mostly zeros, and libFuzzer
// mutates every byte of its input alike, so the seeds hold only the bytes that are not zero and
// the mutations land in the metadata. Made by tests/fuzz/make_image_seed.py from an image file.
//
//   u32 size (little-endian; clamped to [64 KiB, 4 MiB], rounded down to 512 bytes)
//   records until the input ends: u32 offset, u16 length, u8 kind, then `length` bytes when
//   kind is 0 (literal) or one byte to repeat `length` times (fill). Records past the image end
//   are cut there.
//
// The image lives in a memfd reached through /proc/self/fd/N, so the readers that want a path
// (libext2fs, libntfs-3g) open it like any disk file and nothing is left behind on a crash.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace castline::fuzz {

class SparseImage {
  public:
    SparseImage() : fd_(::memfd_create("castline-fuzz-image", 0)) {
        if (fd_ < 0) std::abort();
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    ~SparseImage() { ::close(fd_); }
    SparseImage(const SparseImage&) = delete;
    SparseImage& operator=(const SparseImage&) = delete;

    // Rebuilds the image from a fuzz input; returns its size.
    std::uint64_t load(const std::uint8_t* data, std::size_t size) {
        std::uint64_t image = read_le(data, size, 0, 4);
        image = std::clamp<std::uint64_t>(image, 64 << 10, 4 << 20) / 512 * 512;
        // Truncating to 0 first drops every page, so the image starts all zero.
        if (::ftruncate(fd_, 0) != 0 || ::ftruncate(fd_, static_cast<off_t>(image)) != 0)
            std::abort();
        std::size_t at = 4;
        std::vector<std::uint8_t> fill;
        while (at + 7 <= size) {
            const std::uint64_t offset = read_le(data, size, at, 4);
            std::uint64_t length = read_le(data, size, at + 4, 2);
            const bool literal = data[at + 6] == 0;
            at += 7;
            const std::uint8_t* bytes = data + at;
            if (literal) {
                length = std::min<std::uint64_t>(length, size - at);
                at += length;
            } else {
                if (at >= size) break;
                fill.assign(length, data[at]);
                bytes = fill.data();
                at += 1;
            }
            if (offset >= image) continue;
            length = std::min(length, image - offset);
            if (length && ::pwrite(fd_, bytes, length, static_cast<off_t>(offset)) !=
                              static_cast<ssize_t>(length))
                std::abort();
        }
        return image;
    }

    int fd() const { return fd_; }
    const std::string& path() const { return path_; }

  private:
    static std::uint64_t read_le(const std::uint8_t* data, std::size_t size, std::size_t at,
                                 std::size_t n) {
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n && at + i < size; ++i)
            v |= std::uint64_t{data[at + i]} << (8 * i);
        return v;
    }
    int fd_;
    std::string path_;
};

}  // namespace castline::fuzz
