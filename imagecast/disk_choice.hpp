#pragma once
// Which disk a job restores to. The machine's disks are read from sysfs; the choice itself is
// pure: the job's rule ("only-fixed": the only non-removable, writable disk), never a disk the
// booted system has mounted, and no guessing: none or several candidates is an error that lists
// every disk and why it was left out.
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
};

// Every whole disk under `sysfs` (/sys/block), leaving out RAM disks, zram, optical drives and
// device-mapper/md devices; loop devices only when `allow_loop` (tests).
std::vector<Disk> list_disks(const std::filesystem::path& sysfs, bool allow_loop,
                             const std::filesystem::path& mounts = "/proc/mounts");

// Throws imager::ImagerError(no_target_disk).
Disk choose_disk(const std::vector<Disk>& disks, const std::string& rule);

}  // namespace castline::imagecast
