#pragma once
// libntfs-3g sees one partition of a disk file or device as its whole device through these
// operations: every access is shifted by the partition offset and kept inside its length.
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

#include <cstdint>

namespace castline::imager {

// The d_private of an ntfs_device made with ntfs_partition_operations.
struct NtfsPartitionDevice {
    int fd = -1;  // opened O_RDWR when writable
    std::uint64_t offset = 0, length = 0;
    bool writable = false;  // otherwise opening for writing fails with EROFS
    std::int64_t position = 0;
};

extern ntfs_device_operations ntfs_partition_operations;

}  // namespace castline::imager
