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
#include "common/durable_file.hpp"

namespace castline::bootmedia {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BootmediaError("cannot read " + path.string() + ": " + std::strerror(errno));
    std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw BootmediaError("error reading " + path.string());
    return contents;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
    if (auto error = write_file_durably(path, contents)) throw BootmediaError(*error);
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
