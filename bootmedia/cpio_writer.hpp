#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace castline::bootmedia {

// Builds a newc ("070701") cpio archive, the format the kernel unpacks as an initramfs.
// Reproducible by construction: entries come out sorted by path whatever the order they were
// added in, inode numbers count up from 1 in that order, owners are 0 and every entry has the
// same mtime. Paths are relative ("bin/sh"); parents are not implied, add them as directories.
class CpioWriter {
  public:
    explicit CpioWriter(std::uint32_t mtime = 0) : mtime_(mtime) {}

    // Each throws BootmediaError on an invalid path or a path added twice.
    void add_directory(std::string_view path, std::uint32_t permissions = 0755);
    void add_file(std::string_view path, std::string contents, std::uint32_t permissions = 0644);
    void add_symlink(std::string_view path, std::string_view target);
    void add_char_device(std::string_view path, std::uint32_t major, std::uint32_t minor,
                         std::uint32_t permissions = 0600);

    bool contains(std::string_view path) const { return entries_.contains(std::string(path)); }
    std::size_t size() const { return entries_.size(); }

    // The whole archive, trailer included.
    std::string finish() const;

  private:
    struct Entry {
        std::uint32_t mode = 0;  // file type bits | permissions
        std::string data;        // file contents or symlink target
        std::uint32_t rdev_major = 0;
        std::uint32_t rdev_minor = 0;
    };
    void add(std::string_view path, Entry entry);

    std::uint32_t mtime_;
    std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace castline::bootmedia
