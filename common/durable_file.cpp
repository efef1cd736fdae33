#include "common/durable_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace castline {

namespace {
std::string failed(const char* step, const std::filesystem::path& path, int error) {
    return std::string("cannot ") + step + ' ' + path.string() + ": " + std::strerror(error);
}

// Opens read-only (a directory too) and runs `flush` on it; an error names `step`.
template <typename Flush>
std::optional<std::string> flush_path(const std::filesystem::path& path, int flags,
                                      const char* step, Flush flush) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags);
    if (fd < 0) return failed("open", path, errno);
    const int rc = flush(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) return failed(step, path, error);
    return std::nullopt;
}

std::filesystem::path directory_of(const std::filesystem::path& path) {
    return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}
}  // namespace

std::optional<std::string> sync_directory(const std::filesystem::path& directory) {
    return flush_path(directory, O_DIRECTORY, "fsync directory", ::fsync);
}

std::optional<std::string> write_file_durably(const std::filesystem::path& file,
                                              std::string_view contents, mode_t mode) {
    std::string temp = file.string() + ".tmp.XXXXXX";
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) return failed("create a file beside", file, errno);
    const auto give_up = [&](const char* step, const std::filesystem::path& path) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return failed(step, path, error);
    };
    std::size_t done = 0;
    while (done < contents.size()) {
        const auto n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = ENOSPC;
            return give_up("write", temp);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, mode) != 0) return give_up("chmod", temp);
    if (::fsync(fd) != 0) return give_up("fsync", temp);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return failed("write", temp, error);
    }
    if (std::rename(temp.c_str(), file.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return failed("rename into place", file, error);
    }
    return sync_directory(directory_of(file));
}

std::optional<std::string> rename_durably(const std::filesystem::path& from,
                                          const std::filesystem::path& to) {
    struct stat st {};
    if (::stat(from.c_str(), &st) != 0) return failed("stat", from, errno);
    // A file needs its own data synced; a tree of files is flushed whole (one call, not one
    // fsync per file).
    const bool directory = S_ISDIR(st.st_mode);
    if (auto error = directory ? flush_path(from, O_DIRECTORY, "syncfs", ::syncfs)
                               : flush_path(from, 0, "fsync", ::fsync))
        return error;
    if (std::rename(from.c_str(), to.c_str()) != 0) return failed("rename into place", to, errno);
    return sync_directory(directory_of(to));
}

}  // namespace castline
