// NTFS through libntfs-3g: the volume is mounted read-only through a device whose operations
// read the disk at the partition's offset, and the $Bitmap data attribute gives one bit per
// cluster. The backup boot sector (last sector of the volume, outside every cluster) is kept too.
// libntfs-3g's headers expect its config.h; these are the parts they need, included first.
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#define HAVE_STDARG_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_TIME_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_GETTIMEOFDAY 1
extern "C" {
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/device.h>
#include <ntfs-3g/logging.h>
#include <ntfs-3g/types.h>
#include <ntfs-3g/volume.h>
}

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "imager/used_blocks.hpp"

namespace castline::imager {
namespace {

// The partition seen as a device: reads at an offset, refuses writes.
struct PartitionDevice {
    int fd = -1;
    std::uint64_t offset = 0, length = 0;
    std::int64_t position = 0;
};

PartitionDevice& part(ntfs_device* dev) {
    return *static_cast<PartitionDevice*>(dev->d_private);
}

int dev_open(ntfs_device* dev, int flags) {
    if ((flags & O_ACCMODE) != O_RDONLY) {
        errno = EROFS;
        return -1;
    }
    part(dev).position = 0;
    NDevSetOpen(dev);
    NDevSetReadOnly(dev);
    return 0;
}
int dev_close(ntfs_device* dev) {
    NDevClearOpen(dev);
    return 0;
}
s64 dev_seek(ntfs_device* dev, s64 offset, int whence) {
    auto& p = part(dev);
    const s64 base = whence == SEEK_SET   ? 0
                     : whence == SEEK_CUR ? p.position
                                          : static_cast<s64>(p.length);
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
        errno = EINVAL;
        return -1;
    }
    if (base + offset < 0) {
        errno = EINVAL;
        return -1;
    }
    return p.position = base + offset;
}
s64 dev_pread(ntfs_device* dev, void* buf, s64 count, s64 offset) {
    auto& p = part(dev);
    if (offset < 0 || count < 0) {
        errno = EINVAL;
        return -1;
    }
    if (static_cast<std::uint64_t>(offset) >= p.length) return 0;
    count = std::min<s64>(count, static_cast<s64>(p.length) - offset);
    s64 done = 0;
    while (done < count) {
        const ssize_t n =
            ::pread(p.fd, static_cast<char*>(buf) + done, static_cast<std::size_t>(count - done),
                    static_cast<off_t>(p.offset + static_cast<std::uint64_t>(offset + done)));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return done ? done : -1;
        if (n == 0) break;
        done += n;
    }
    return done;
}
s64 dev_read(ntfs_device* dev, void* buf, s64 count) {
    const s64 n = dev_pread(dev, buf, count, part(dev).position);
    if (n > 0) part(dev).position += n;
    return n;
}
s64 dev_write(ntfs_device*, const void*, s64) {
    errno = EROFS;
    return -1;
}
s64 dev_pwrite(ntfs_device*, const void*, s64, s64) {
    errno = EROFS;
    return -1;
}
int dev_sync(ntfs_device*) {
    return 0;
}
int dev_stat(ntfs_device* dev, struct stat* st) {
    std::memset(st, 0, sizeof *st);
    st->st_mode = S_IFREG;
    st->st_size = static_cast<off_t>(part(dev).length);
    return 0;
}
int dev_ioctl(ntfs_device*, unsigned long, void*) {
    errno = ENOTTY;
    return -1;
}

ntfs_device_operations partition_operations = {dev_open,  dev_close, dev_seek,   dev_read,
                                               dev_write, dev_pread, dev_pwrite, dev_sync,
                                               dev_stat,  dev_ioctl};

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

FileSystemUsage ntfs_used_blocks(const PartitionSource& source) {
    // libntfs-3g prints its own diagnostics; ours carry the same facts with the partition named.
    ntfs_log_set_handler(ntfs_log_handler_null);
    std::vector<std::uint8_t> boot(512);
    source.read(0, boot);
    const std::uint64_t bytes_per_sector = le16(boot, 11);
    const std::uint64_t volume_sectors = le64(boot, 40);
    if (bytes_per_sector < 256 || bytes_per_sector > 4096 ||
        volume_sectors >= source.length / std::max<std::uint64_t>(bytes_per_sector, 1))
        throw LayoutError("NTFS: boot sector says " + std::to_string(volume_sectors) +
                          " sectors of " + std::to_string(bytes_per_sector) +
                          " bytes, which with its backup boot sector does not fit the partition");

    const Fd fd{::open(source.disk.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.fd < 0)
        throw LayoutError("NTFS: cannot open " + source.disk + ": " + std::strerror(errno));
    PartitionDevice device{fd.fd, source.offset, source.length, 0};
    ntfs_device* dev = ntfs_device_alloc(source.disk.c_str(), 0, &partition_operations, &device);
    if (!dev) throw LayoutError("NTFS: out of memory");
    ntfs_volume* vol = ntfs_device_mount(dev, NTFS_MNT_RDONLY);
    if (!vol) {
        const int err = errno;
        ntfs_device_free(dev);
        throw LayoutError(std::string("NTFS: cannot mount: ") + std::strerror(err));
    }
    struct Unmount {
        ntfs_volume* vol;
        ~Unmount() { ntfs_umount(vol, FALSE); }  // also frees the device
    } unmount{vol};

    if (vol->flags & VOLUME_IS_DIRTY)
        throw LayoutError("NTFS: volume is marked dirty (run chkdsk or ntfsfix)");
    const std::uint64_t clusters = static_cast<std::uint64_t>(vol->nr_clusters);
    const std::uint64_t cluster_size = vol->cluster_size;
    const std::uint64_t bitmap_bytes = static_cast<std::uint64_t>(vol->lcnbmp_na->data_size);
    if (bitmap_bytes * 8 < clusters)
        throw LayoutError("NTFS: $Bitmap holds " + std::to_string(bitmap_bytes * 8) + " bits for " +
                          std::to_string(clusters) + " clusters");

    FileSystemUsage usage;
    usage.kind = FileSystemKind::ntfs;
    if (vol->vol_name) usage.label = vol->vol_name;
    char serial[17];
    std::snprintf(serial, sizeof serial, "%016llX",
                  static_cast<unsigned long long>(le64(boot, 72)));
    usage.uuid = serial;

    std::vector<std::uint8_t> chunk(1 << 20);
    std::uint64_t used_clusters = 0;
    for (std::uint64_t byte = 0; byte * 8 < clusters; byte += chunk.size()) {
        const std::uint64_t want = std::min<std::uint64_t>(chunk.size(), (clusters + 7) / 8 - byte);
        const s64 got = ntfs_attr_pread(vol->lcnbmp_na, static_cast<s64>(byte),
                                        static_cast<s64>(want), chunk.data());
        if (got != static_cast<s64>(want))
            throw LayoutError("NTFS: cannot read $Bitmap at byte " + std::to_string(byte));
        for (std::uint64_t i = 0; i < want * 8; ++i) {
            const std::uint64_t lcn = byte * 8 + i;
            if (lcn >= clusters) break;
            if (i % 8 == 0 && chunk[i / 8] == 0) {  // free space comes in long runs
                i += 7;
                continue;
            }
            if (!(chunk[i / 8] >> (i % 8) & 1)) continue;
            ++used_clusters;
            const std::uint64_t at = lcn * cluster_size;
            if (!usage.used.empty() && usage.used.back().offset + usage.used.back().length == at)
                usage.used.back().length += cluster_size;
            else
                usage.used.push_back({at, cluster_size});
        }
    }
    // Cluster 0 holds $Boot and is always allocated; an empty map means a broken bitmap.
    if (used_clusters == 0) throw LayoutError("NTFS: $Bitmap marks no cluster as used");
    usage.used.push_back({volume_sectors * bytes_per_sector, bytes_per_sector});
    return usage;
}

}  // namespace castline::imager
