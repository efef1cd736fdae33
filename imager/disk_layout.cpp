// read_disk_layout: the thin I/O shell around the partition table parser and the used-block
// readers. See docs/disk-layout.md for what is stored and why.
#include "imager/disk_layout.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "imager/partition_table.hpp"
#include "imager/used_blocks.hpp"

namespace castline::imager {
namespace {

constexpr std::size_t head_bytes = 64 * 1024;  // enough to recognise every file system here

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

void read_exactly(int fd, std::uint64_t offset, std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n =
            ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw LayoutError("disk: cannot read " + std::to_string(out.size()) +
                              " bytes at byte " + std::to_string(offset) + ": " +
                              (n < 0 ? std::strerror(errno) : "end of file"));
        done += static_cast<std::size_t>(n);
    }
}

std::string partition_name(int number) {
    return number == 0 ? "file system on the whole disk" : "partition " + std::to_string(number);
}

// Fills the partition's file system fields; throws LayoutError (unprefixed) when the map
// cannot be trusted.
void map_file_system(Partition& p, const PartitionSource& source,
                     std::span<const std::uint8_t> head) {
    FileSystemUsage usage;
    switch (detect_file_system(head)) {
        case FileSystemKind::ext:
            usage = ext_used_blocks(source);
            break;
        case FileSystemKind::fat:
            usage = fat_used_blocks(source);
            break;
        case FileSystemKind::ntfs:
            usage = ntfs_used_blocks(source);
            break;
        case FileSystemKind::swap:
            usage = swap_used_blocks(head);
            break;
        case FileSystemKind::unknown:
            return;
    }
    p.file_system = usage.kind;
    p.label = usage.label;
    p.uuid = usage.uuid;
    p.used.clear();
    for (const auto& e : usage.used) {
        if (e.offset >= p.length) continue;  // readers never do this; a clamp keeps it true
        p.used.push_back({p.offset + e.offset, std::min(e.length, p.length - e.offset)});
    }
    p.used = merge_extents(std::move(p.used));
    p.whole = false;
}

void map_partition(Partition& p, const std::string& disk, int fd, const LayoutOptions& options,
                   std::vector<std::string>& warnings) {
    p.used = {{p.offset, p.length}};
    p.whole = true;
    std::vector<std::uint8_t> head(std::min<std::uint64_t>(head_bytes, p.length));
    read_exactly(fd, p.offset, head);
    const PartitionSource source{
        disk, p.offset, p.length, [fd, &p](std::uint64_t at, std::span<std::uint8_t> out) {
            if (at > p.length || out.size() > p.length - at)
                throw LayoutError("read past the partition end at byte " + std::to_string(at));
            read_exactly(fd, p.offset + at, out);
        }};
    if (options.raw) {
        p.file_system = detect_file_system(head);
        return;
    }
    try {
        map_file_system(p, source, head);
    } catch (const LayoutError& e) {
        const std::string problem = partition_name(p.number) + ": " + e.what();
        if (!options.fallback_to_whole) throw LayoutError(problem);
        warnings.push_back(problem + "; stored whole");
        p.file_system = detect_file_system(head);
        p.used = {{p.offset, p.length}};
        p.whole = true;
    }
}

// Bytes in [from, to) not covered by `covered` (sorted, merged).
std::vector<Extent> holes(const std::vector<Extent>& covered, std::uint64_t from,
                          std::uint64_t to) {
    std::vector<Extent> out;
    std::uint64_t at = from;
    for (const auto& c : covered) {
        if (c.offset + c.length <= at) continue;
        if (c.offset >= to) break;
        if (c.offset > at) out.push_back({at, c.offset - at});
        at = std::max(at, c.offset + c.length);
    }
    if (at < to) out.push_back({at, to - at});
    return out;
}

}  // namespace

std::vector<Extent> merge_extents(std::vector<Extent> extents) {
    std::erase_if(extents, [](const Extent& e) { return e.length == 0; });
    std::sort(extents.begin(), extents.end(),
              [](const Extent& a, const Extent& b) { return a.offset < b.offset; });
    std::vector<Extent> out;
    for (const auto& e : extents) {
        if (!out.empty() && e.offset <= out.back().offset + out.back().length)
            out.back().length =
                std::max(out.back().offset + out.back().length, e.offset + e.length) -
                out.back().offset;
        else
            out.push_back(e);
    }
    return out;
}

std::vector<Extent> stored_extents(const DiskLayout& layout) {
    std::vector<Extent> all = layout.table_regions;
    all.insert(all.end(), layout.unpartitioned.begin(), layout.unpartitioned.end());
    for (const auto& p : layout.partitions) all.insert(all.end(), p.used.begin(), p.used.end());
    return merge_extents(std::move(all));
}

DiskLayout read_disk_layout(const std::filesystem::path& disk, const LayoutOptions& options) {
    const Fd fd{::open(disk.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.fd < 0)
        throw LayoutError("disk " + disk.string() + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0)
        throw LayoutError("disk " + disk.string() + ": cannot stat: " + std::strerror(errno));
    DiskLayout layout;
    std::uint32_t sector_size = 512;
    if (S_ISBLK(st.st_mode)) {
        std::uint64_t bytes = 0;
        int logical = 0;
        if (::ioctl(fd.fd, BLKGETSIZE64, &bytes) != 0 || ::ioctl(fd.fd, BLKSSZGET, &logical) != 0)
            throw LayoutError("disk " + disk.string() +
                              ": cannot query size: " + std::strerror(errno));
        layout.size = bytes;
        sector_size = static_cast<std::uint32_t>(logical);
    } else if (S_ISREG(st.st_mode)) {
        layout.size = static_cast<std::uint64_t>(st.st_size);
    } else {
        throw LayoutError("disk " + disk.string() + ": not a file or block device");
    }

    const ReadAt read = [&](std::uint64_t at, std::span<std::uint8_t> out) {
        read_exactly(fd.fd, at, out);
    };
    const PartitionTable table = read_partition_table(read, layout.size, sector_size);
    layout.sector_size = table.sector_size;
    layout.table = table.kind;
    layout.table_regions = merge_extents(table.regions);
    layout.warnings = table.warnings;
    for (const auto& t : table.partitions)
        layout.partitions.push_back({t.number,
                                     t.offset,
                                     t.length,
                                     t.type,
                                     t.name,
                                     FileSystemKind::unknown,
                                     "",
                                     "",
                                     {},
                                     false});
    // A file system on the whole disk (no table): one partition numbered 0, if it is known.
    if (table.kind == TableKind::none && layout.size > 0) {
        std::vector<std::uint8_t> head(std::min<std::uint64_t>(head_bytes, layout.size));
        read_exactly(fd.fd, 0, head);
        if (detect_file_system(head) != FileSystemKind::unknown)
            layout.partitions.push_back(
                {0, 0, layout.size, "", "", FileSystemKind::unknown, "", "", {}, false});
    }
    for (auto& p : layout.partitions)
        map_partition(p, disk.string(), fd.fd, options, layout.warnings);

    // What is neither table nor partition: keep the boot area before the first partition (or
    // the whole disk when nothing else describes it); with raw, every such byte.
    std::vector<Extent> covered = layout.table_regions;
    for (const auto& p : layout.partitions) covered.push_back({p.offset, p.length});
    covered = merge_extents(std::move(covered));
    std::uint64_t boot_area_end = layout.size;
    for (const auto& p : layout.partitions) boot_area_end = std::min(boot_area_end, p.offset);
    for (const auto& hole : holes(covered, 0, layout.size))
        if (options.raw || hole.offset < boot_area_end)
            layout.unpartitioned.push_back(
                {hole.offset,
                 std::min(hole.offset + hole.length, options.raw ? layout.size : boot_area_end) -
                     hole.offset});
    return layout;
}

}  // namespace castline::imager
