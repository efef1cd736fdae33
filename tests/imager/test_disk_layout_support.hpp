#pragma once
// Shared by the disk layout tests: a temporary directory, shell commands that must succeed, and
// copying a layout's stored extents into a blank disk file (what an image restore does, minus
// the image format) to prove the maps are complete.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "imager/disk_layout.hpp"

namespace castline::imager::testing {

inline constexpr std::uint64_t MiB = 1024 * 1024;

class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "castline-disk-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// Runs a shell command; returns its standard output. Fails the test if it exits non-zero.
inline std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    INFO("command: " << command << "\noutput: " << out);
    REQUIRE(status == 0);
    return out;
}

// Runs a command that may fail; returns its exit status.
inline int status_of(const std::string& command) {
    const int status = std::system((command + " >/dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string quoted(const std::filesystem::path& p) {
    return "'" + p.string() + "'";
}

inline void make_sparse_file(const std::filesystem::path& p, std::uint64_t size) {
    std::filesystem::remove(p);
    std::ofstream(p, std::ios::binary).close();
    std::filesystem::resize_file(p, size);
}

inline void write_random_file(const std::filesystem::path& p, std::size_t size, unsigned seed) {
    std::mt19937 random(seed);
    std::vector<char> bytes(size);
    for (auto& b : bytes) b = static_cast<char>(random());
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(size));
}

inline std::vector<char> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

inline std::vector<char> read_bytes(const std::filesystem::path& p, std::uint64_t offset,
                                    std::size_t length) {
    std::ifstream in(p, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    std::vector<char> bytes(length);
    in.read(bytes.data(), static_cast<std::streamsize>(length));
    return bytes;
}

inline void write_bytes(const std::filesystem::path& p, std::uint64_t offset,
                        const std::vector<char>& bytes) {
    std::fstream out(p, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(static_cast<std::streamoff>(offset));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Places a file system image made on its own file into a disk file at `offset`.
inline void place(const std::filesystem::path& fs, const std::filesystem::path& disk,
                  std::uint64_t offset) {
    write_bytes(disk, offset, read_file(fs));
}

// Copies `extents` of `from` into a new zero-filled file `to` of the same size.
inline void copy_extents(const std::filesystem::path& from, const std::filesystem::path& to,
                         const std::vector<Extent>& extents) {
    make_sparse_file(to, std::filesystem::file_size(from));
    for (const auto& e : extents) write_bytes(to, e.offset, read_bytes(from, e.offset, e.length));
}

// Copies one partition out into its own file, for the tools that take a file system file.
inline void extract(const std::filesystem::path& disk, std::uint64_t offset, std::uint64_t length,
                    const std::filesystem::path& to) {
    std::filesystem::remove(to);
    std::ofstream(to, std::ios::binary).close();
    write_bytes(to, 0, read_bytes(disk, offset, length));
}

inline std::uint64_t total_bytes(const std::vector<Extent>& extents) {
    std::uint64_t sum = 0;
    for (const auto& e : extents) sum += e.length;
    return sum;
}

inline bool inside(const std::vector<Extent>& extents, std::uint64_t offset, std::uint64_t length) {
    for (const auto& e : extents)
        if (offset >= e.offset && offset + length <= e.offset + e.length) return true;
    return false;
}

// The number (decimal, or hex with 0x) right after `label` in a tool's report.
inline std::uint64_t number_after(const std::string& text, const std::string& label) {
    const auto at = text.find(label);
    REQUIRE_MESSAGE(at != std::string::npos, label << " in " << text);
    return std::stoull(text.substr(at + label.size()), nullptr, 0);
}

inline const Partition& partition(const DiskLayout& layout, int number) {
    for (const auto& p : layout.partitions)
        if (p.number == number) return p;
    FAIL("no partition " << number);
    throw 0;
}

}  // namespace castline::imager::testing
