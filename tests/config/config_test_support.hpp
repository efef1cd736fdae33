#pragma once
// Helpers for config tests: a private folder of YAML files, loading, and finding a diagnostic.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "config/loader.hpp"

namespace castline::config::testing {

// A temporary folder removed at the end of the test.
class TempDir {
  public:
    TempDir() {
        std::random_device random;
        path_ = std::filesystem::temp_directory_path() /
                ("castline-config-test-" + std::to_string(random()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        const auto file = path_ / name;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
        return file;
    }

  private:
    std::filesystem::path path_;
};

// A minimal valid config to which a test appends what it examines (lines 1-4).
inline const std::string base_config =
    "version: 1\n"
    "server: {interfaces: [lab0], data_dir: /var/lib/castline}\n"
    "dhcp: {mode: proxy}\n"
    "boot: {root: ., tftp_port: 69, http_port: 8080}\n";

// The warnings besides those about the kernel, initramfs and loaders missing from boot.root,
// which every config whose boot.root exists but is empty (like base_config's ".") gets.
inline std::vector<Diagnostic> other_warnings(const LoadResult& result) {
    std::vector<Diagnostic> out;
    for (const auto& w : result.warnings)
        if (w.key_path != "boot.kernel" && w.key_path != "boot.initramfs" &&
            w.key_path.find("loaders.") == std::string::npos)
            out.push_back(w);
    return out;
}

inline std::string all_text(const std::vector<Diagnostic>& list) {
    std::string out;
    for (const auto& d : list) out += d.to_string() + "\n";
    return out;
}

// Checks that exactly one error was reported, at FILE:LINE:COL with the key path, and that its
// message contains `fragment`.
inline void require_single_error(const LoadResult& result, const std::string& file, int line,
                                 int column, const std::string& key_path,
                                 const std::string& fragment) {
    INFO(all_text(result.diagnostics));
    REQUIRE(result.diagnostics.size() == 1);
    CHECK_FALSE(result.ok());
    const auto& d = result.diagnostics[0];
    CHECK(d.location.file == file);
    CHECK(d.location.line == line);
    CHECK(d.location.column == column);
    CHECK(d.key_path == key_path);
    CHECK(d.message.find(fragment) != std::string::npos);
}

}  // namespace castline::config::testing
