#pragma once
// Post-config: personalising a restored disk for one machine (docs/postconfig.md). Everything is
// planned first — the partition found, sysprep.inf and unattend.xml read and edited in memory,
// computer names checked, paths checked — and only a plan without a single error is written, so
// a post-config that fails leaves the disk byte for byte as it was.
#include <filesystem>
#include <functional>
#include <string>

#include "common/mac_address.hpp"
#include "imager/postconfig_spec.hpp"

namespace castline::imager {

// Called once per change made, e.g. "partition 2 (NTFS): Sysprep/sysprep.inf: set [UserData]
// ComputerName" (values are never shown: they may be passwords).
using PostConfigLog = std::function<void(const std::string& change)>;

// Applies `spec` for the machine `mac` to the file system of one partition of `disk` (a disk
// file or block device). Throws ImagerError(postconfig_failed) naming the partition, the path
// inside it and the problem; before any write, nothing has changed.
void apply_postconfig(const std::filesystem::path& disk, const PostConfigSpec& spec,
                      const castline::MacAddress& mac, const PostConfigLog& log = {});

}  // namespace castline::imager
