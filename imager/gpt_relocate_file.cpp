// The file-level shell of relocate_gpt: read LBA 0, LBA 1 and the entry array, write the result.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "imager/gpt_relocate.hpp"
#include "imager/partition_table.hpp"
#include "imager/partition_table_gpt.hpp"

namespace castline::imager {
namespace {

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

[[noreturn]] void io_fail(const std::filesystem::path& disk, const std::string& what) {
    throw LayoutError("GPT relocation on " + disk.string() + ": " + what + ": " +
                      std::strerror(errno));
}

}  // namespace

void relocate_gpt_file(const std::filesystem::path& disk, std::uint32_t sector_size) {
    const Fd fd{::open(disk.c_str(), O_RDWR | O_CLOEXEC)};
    if (fd.fd < 0) io_fail(disk, "cannot open");
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) io_fail(disk, "cannot stat");
    std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
    if (S_ISBLK(st.st_mode) && ::ioctl(fd.fd, BLKGETSIZE64, &size) != 0) io_fail(disk, "size");

    const auto read_at = [&](std::uint64_t at, std::vector<std::uint8_t>& out) {
        if (::pread(fd.fd, out.data(), out.size(), static_cast<off_t>(at)) !=
            static_cast<ssize_t>(out.size()))
            io_fail(disk, "cannot read at byte " + std::to_string(at));
    };
    const auto write_at = [&](std::uint64_t lba, std::span<const std::uint8_t> bytes) {
        const std::uint64_t at = lba * sector_size;
        if (::pwrite(fd.fd, bytes.data(), bytes.size(), static_cast<off_t>(at)) !=
            static_cast<ssize_t>(bytes.size()))
            io_fail(disk, "cannot write at byte " + std::to_string(at));
    };
    std::vector<std::uint8_t> mbr(sector_size), header(sector_size);
    if (size < 2 * std::uint64_t{sector_size})
        throw LayoutError("GPT relocation on " + disk.string() + ": disk too small");
    read_at(0, mbr);
    read_at(sector_size, header);
    const GptHeader h = parse_gpt_header(header, 1, size / sector_size, sector_size);
    std::vector<std::uint8_t> entries(h.array_bytes());
    read_at(h.entries_lba * sector_size, entries);

    const GptRelocation r = relocate_gpt(mbr, header, entries, size, sector_size);
    write_at(r.backup_entries_lba, entries);
    write_at(r.backup_header_lba, r.backup_header);
    if (r.stale_backup_lba) write_at(*r.stale_backup_lba, std::vector<std::uint8_t>(sector_size));
    write_at(1, r.primary_header);
    write_at(0, r.protective_mbr);
    if (::fsync(fd.fd) != 0) io_fail(disk, "fsync");
}

}  // namespace castline::imager
