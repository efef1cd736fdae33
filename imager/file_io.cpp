#include "imager/file_io.hpp"

#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "imager/errors.hpp"

namespace castline::imager {
namespace {
[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
    throw io_error(path.string() + ": " + what + ": " + std::strerror(errno));
}
}  // namespace

File::File(const std::filesystem::path& path, Mode mode) : path_(path) {
    int flags = O_CLOEXEC;
    switch (mode) {
        case Mode::read:
            flags |= O_RDONLY;
            break;
        case Mode::write_existing:
            flags |= O_RDWR;
            break;
        case Mode::create_truncate:
            flags |= O_RDWR | O_CREAT | O_TRUNC;
            break;
        case Mode::read_write_create:
            flags |= O_RDWR | O_CREAT;
            break;
    }
    fd_ = ::open(path.c_str(), flags, 0644);
    if (fd_ < 0) fail(path, "cannot open");
}

File::~File() {
    close();
}

File::File(File&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
}

File& File::operator=(File&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = other.fd_;
        path_ = std::move(other.path_);
        other.fd_ = -1;
    }
    return *this;
}

void File::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

std::size_t File::read_at(std::uint64_t offset, std::span<std::uint8_t> data) const {
    std::size_t done = 0;
    while (done < data.size()) {
        const auto n =
            ::pread(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(path_, "read at byte " + std::to_string(offset + done));
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

void File::read_exact(std::uint64_t offset, std::span<std::uint8_t> data) const {
    if (read_at(offset, data) != data.size()) {
        errno = 0;
        throw io_error(path_.string() + ": unexpected end of file reading " +
                       std::to_string(data.size()) + " bytes at byte " + std::to_string(offset));
    }
}

void File::write_at(std::uint64_t offset, std::span<const std::uint8_t> data) const {
    std::size_t done = 0;
    while (done < data.size()) {
        const auto n = ::pwrite(fd_, data.data() + done, data.size() - done,
                                static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(path_, "write at byte " + std::to_string(offset + done));
        }
        done += static_cast<std::size_t>(n);
    }
}

bool File::is_block_device() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail(path_, "stat");
    return S_ISBLK(st.st_mode);
}

std::uint64_t File::size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail(path_, "stat");
    if (S_ISBLK(st.st_mode)) {
        std::uint64_t bytes = 0;
        if (::ioctl(fd_, BLKGETSIZE64, &bytes) != 0) fail(path_, "BLKGETSIZE64");
        return bytes;
    }
    return static_cast<std::uint64_t>(st.st_size);
}

std::uint32_t File::logical_sector_size() const {
    if (!is_block_device()) return 512;
    int bytes = 0;
    if (::ioctl(fd_, BLKSSZGET, &bytes) != 0) fail(path_, "BLKSSZGET");
    return static_cast<std::uint32_t>(bytes);
}

void File::sync() const {
    if (::fsync(fd_) != 0) fail(path_, "fsync");
}

void File::start_writeback(std::uint64_t offset, std::uint64_t length) const {
    ::sync_file_range(fd_, static_cast<off_t>(offset), static_cast<off_t>(length),
                      SYNC_FILE_RANGE_WRITE);
}

bool File::set_direct(bool on) const {
    const int flags = ::fcntl(fd_, F_GETFL);
    if (flags < 0) return false;
    return ::fcntl(fd_, F_SETFL, on ? flags | O_DIRECT : flags & ~O_DIRECT) == 0;
}

void File::truncate(std::uint64_t size) const {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) fail(path_, "truncate");
}

void File::zero_range(std::uint64_t offset, std::uint64_t length) const {
    if (length == 0) return;
    if (is_block_device()) {
        std::uint64_t range[2] = {offset, length};
        if (::ioctl(fd_, BLKZEROOUT, range) == 0) return;
    } else if (::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                           static_cast<off_t>(offset), static_cast<off_t>(length)) == 0) {
        return;
    }
    static const std::vector<std::uint8_t> zeros(1 << 20);
    while (length > 0) {
        const auto n = std::min<std::uint64_t>(length, zeros.size());
        write_at(offset, {zeros.data(), static_cast<std::size_t>(n)});
        offset += n;
        length -= n;
    }
}

}  // namespace castline::imager
