// NTFS through libntfs-3g: the volume is mounted read-only through a device whose operations
// read the disk at the partition's offset (ntfs_partition_device.hpp), and the $Bitmap data
// attribute gives one bit per cluster. The backup boot sector (last sector of the volume, outside
// every cluster) is kept too.
#include "imager/ntfs_partition_device.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "imager/used_blocks.hpp"

namespace castline::imager {
namespace {

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
    NtfsPartitionDevice device{fd.fd, source.offset, source.length, false, 0};
    ntfs_device* dev =
        ntfs_device_alloc(source.disk.c_str(), 0, &ntfs_partition_operations, &device);
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
