#include "imager/ntfs_partition_device.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace castline::imager {
namespace {

NtfsPartitionDevice& part(ntfs_device* dev) {
    return *static_cast<NtfsPartitionDevice*>(dev->d_private);
}

int dev_open(ntfs_device* dev, int flags) {
    const bool read_only = (flags & O_ACCMODE) == O_RDONLY;
    if (!read_only && !part(dev).writable) {
        errno = EROFS;
        return -1;
    }
    part(dev).position = 0;
    NDevSetOpen(dev);
    if (read_only) NDevSetReadOnly(dev);
    return 0;
}
int dev_close(ntfs_device* dev) {
    NDevClearOpen(dev);
    return 0;
}
s64 dev_seek(ntfs_device* dev, s64 offset, int whence) {
    auto& p = part(dev);
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
        errno = EINVAL;
        return -1;
    }
    const s64 base = whence == SEEK_SET   ? 0
                     : whence == SEEK_CUR ? p.position
                                          : static_cast<s64>(p.length);
    if (base + offset < 0) {
        errno = EINVAL;
        return -1;
    }
    return p.position = base + offset;
}

// pread or pwrite inside the partition; short only at its end.
template <typename Buffer, typename Io>
s64 transfer(ntfs_device* dev, Buffer buf, s64 count, s64 offset, Io io) {
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
            io(p.fd, buf + done, static_cast<std::size_t>(count - done),
               static_cast<off_t>(p.offset + static_cast<std::uint64_t>(offset + done)));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return done ? done : -1;
        if (n == 0) break;
        done += n;
    }
    return done;
}

s64 dev_pread(ntfs_device* dev, void* buf, s64 count, s64 offset) {
    return transfer(dev, static_cast<char*>(buf), count, offset, ::pread);
}
s64 dev_pwrite(ntfs_device* dev, const void* buf, s64 count, s64 offset) {
    if (!part(dev).writable || NDevReadOnly(dev)) {
        errno = EROFS;
        return -1;
    }
    NDevSetDirty(dev);
    return transfer(dev, static_cast<const char*>(buf), count, offset, ::pwrite);
}
s64 dev_read(ntfs_device* dev, void* buf, s64 count) {
    const s64 n = dev_pread(dev, buf, count, part(dev).position);
    if (n > 0) part(dev).position += n;
    return n;
}
s64 dev_write(ntfs_device* dev, const void* buf, s64 count) {
    const s64 n = dev_pwrite(dev, buf, count, part(dev).position);
    if (n > 0) part(dev).position += n;
    return n;
}
int dev_sync(ntfs_device* dev) {
    if (part(dev).writable && ::fsync(part(dev).fd) != 0) return -1;
    NDevClearDirty(dev);
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

}  // namespace

ntfs_device_operations ntfs_partition_operations = {dev_open,  dev_close, dev_seek,   dev_read,
                                                    dev_write, dev_pread, dev_pwrite, dev_sync,
                                                    dev_stat,  dev_ioctl};

}  // namespace castline::imager
