#include "bootmedia/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

#include "bootmedia/error.hpp"

namespace castline::bootmedia {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BootmediaError("cannot read " + path.string() + ": " + std::strerror(errno));
    std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw BootmediaError("error reading " + path.string());
    return contents;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
    std::string temp = path.string() + ".tmp.XXXXXX";
    const int fd = mkstemp(temp.data());
    if (fd < 0)
        throw BootmediaError("cannot create a file beside " + path.string() + ": " +
                             std::strerror(errno));
    std::size_t written = 0;
    while (written < contents.size()) {
        const ssize_t n = write(fd, contents.data() + written, contents.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int e = errno;
            close(fd);
            unlink(temp.c_str());
            throw BootmediaError("cannot write " + temp + ": " + std::strerror(e));
        }
        written += static_cast<std::size_t>(n);
    }
    if (fchmod(fd, 0644) != 0 || fsync(fd) != 0 || close(fd) != 0) {
        const int e = errno;
        unlink(temp.c_str());
        throw BootmediaError("cannot write " + temp + ": " + std::strerror(e));
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        unlink(temp.c_str());
        throw BootmediaError("cannot rename " + temp + " to " + path.string() + ": " +
                             std::strerror(e));
    }
}

TempDir::TempDir(const std::filesystem::path& parent, std::string_view prefix) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) throw BootmediaError("cannot create " + parent.string() + ": " + ec.message());
    std::string pattern = (parent / (std::string(prefix) + "XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr)
        throw BootmediaError("cannot create a directory in " + parent.string() + ": " +
                             std::strerror(errno));
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

}  // namespace castline::bootmedia
