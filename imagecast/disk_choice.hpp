#pragma once
// Which disk a job restores to. The machine's disks are read from sysfs; the choice itself is
// pure: the job's rule (a path, model and serial patterns, a size range, or none: the only
// non-removable disk), never a disk the booted system has mounted, a read-only one, or one
// smaller than the image needs, and no guessing: none or several candidates is an error that
// lists every disk and why it was left out.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace castline::imagecast {

struct Disk {
    std::string name;  // vda, sda, nvme0n1
    std::filesystem::path device;
    std::uint64_t size = 0;  // bytes
    bool removable = false;
    bool read_only = false;
    bool mounted = false;  // holds a mounted file system (the boot medium)
    std::string model;
    std::string serial;
};

struct DiskRule {
    std::string path;    // /dev/NAME
    std::string model;   // shell pattern, e.g. "Samsung SSD*"
    std::string serial;  // shell pattern
    std::uint64_t min_size = 0;
    std::uint64_t max_size = 0;      // 0: no limit
    std::uint64_t needed_bytes = 0;  // the image's minimum target size (image_min_bytes)
    // No criterion: the only non-removable disk.
    bool only_fixed() const {
        return path.empty() && model.empty() && serial.empty() && !min_size && !max_size;
    }
    std::string describe() const;
};

// Every whole disk under `sysfs` (/sys/block), leaving out RAM disks, zram, optical drives and
// device-mapper/md devices; loop devices only when `allow_loop` (tests).
std::vector<Disk> list_disks(const std::filesystem::path& sysfs, bool allow_loop,
                             const std::filesystem::path& mounts = "/proc/mounts");

// Throws imager::ImagerError(no_target_disk).
Disk choose_disk(const std::vector<Disk>& disks, const DiskRule& rule);

}  // namespace castline::imagecast
