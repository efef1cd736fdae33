#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace castline::bootmedia {

// The whole file; throws BootmediaError naming it when it cannot be read.
std::string read_file(const std::filesystem::path& path);

// Writes `contents` beside `path` and renames it over `path` durably (common/durable_file.hpp):
// a reader sees the old file or the new one, never half of one, also after a power cut.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

// A fresh directory (mkdtemp) inside `parent`, removed with everything in it on destruction.
class TempDir {
  public:
    explicit TempDir(const std::filesystem::path& parent, std::string_view prefix);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace castline::bootmedia
