#include "bootmedia/cpio_writer.hpp"

#include <sys/stat.h>

#include <cstdio>

#include "bootmedia/error.hpp"

namespace castline::bootmedia {
namespace {

constexpr std::uint32_t max_field = 0xffffffffu;

bool valid_path(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.back() == '/') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
    }
    return path.find('\0') == std::string_view::npos;
}

void append_hex(std::string& out, std::uint32_t value) {
    char field[9];
    std::snprintf(field, sizeof field, "%08X", value);
    out.append(field, 8);
}

void pad_to_4(std::string& out) {
    while (out.size() % 4 != 0) out.push_back('\0');
}

struct Header {
    std::uint32_t ino = 0, mode = 0, nlink = 1, mtime = 0, filesize = 0, rdev_major = 0,
                  rdev_minor = 0;
};

void append_entry(std::string& out, const Header& h, std::string_view name, std::string_view data) {
    out.append("070701");
    append_hex(out, h.ino);
    append_hex(out, h.mode);
    append_hex(out, 0);  // uid
    append_hex(out, 0);  // gid
    append_hex(out, h.nlink);
    append_hex(out, h.mtime);
    append_hex(out, h.filesize);
    append_hex(out, 0);  // devmajor
    append_hex(out, 0);  // devminor
    append_hex(out, h.rdev_major);
    append_hex(out, h.rdev_minor);
    append_hex(out, static_cast<std::uint32_t>(name.size() + 1));
    append_hex(out, 0);  // check, unused by newc
    out.append(name);
    out.push_back('\0');
    pad_to_4(out);
    out.append(data);
    pad_to_4(out);
}

}  // namespace

void CpioWriter::add(std::string_view path, Entry entry) {
    if (!valid_path(path))
        throw BootmediaError("invalid path in initramfs: '" + std::string(path) + "'");
    if (entry.data.size() > max_field)
        throw BootmediaError("file too large for a cpio archive: " + std::string(path));
    if (!entries_.emplace(std::string(path), std::move(entry)).second)
        throw BootmediaError("path added twice to the initramfs: " + std::string(path));
}

void CpioWriter::add_directory(std::string_view path, std::uint32_t permissions) {
    add(path, Entry{S_IFDIR | (permissions & 07777), {}, 0, 0});
}

void CpioWriter::add_file(std::string_view path, std::string contents, std::uint32_t permissions) {
    add(path, Entry{S_IFREG | (permissions & 07777), std::move(contents), 0, 0});
}

void CpioWriter::add_symlink(std::string_view path, std::string_view target) {
    if (target.empty()) throw BootmediaError("empty symlink target for " + std::string(path));
    add(path, Entry{S_IFLNK | 0777, std::string(target), 0, 0});
}

void CpioWriter::add_char_device(std::string_view path, std::uint32_t major, std::uint32_t minor,
                                 std::uint32_t permissions) {
    add(path, Entry{S_IFCHR | (permissions & 07777), {}, major, minor});
}

std::string CpioWriter::finish() const {
    std::string out;
    std::uint32_t ino = 1;
    for (const auto& [path, entry] : entries_) {
        Header h;
        h.ino = ino++;
        h.mode = entry.mode;
        h.nlink = S_ISDIR(entry.mode) ? 2 : 1;
        h.mtime = mtime_;
        h.filesize = static_cast<std::uint32_t>(entry.data.size());
        h.rdev_major = entry.rdev_major;
        h.rdev_minor = entry.rdev_minor;
        append_entry(out, h, path, entry.data);
    }
    append_entry(out, Header{}, "TRAILER!!!", {});
    return out;
}

}  // namespace castline::bootmedia
