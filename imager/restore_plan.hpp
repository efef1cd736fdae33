#pragma once
// Pure decisions of a restore: whether a target is large enough, and which disk ranges are
// written last (partition tables and the first 64 KiB of each partition) so that a restore
// that stops midway leaves a disk that does not look bootable or mountable.
#include <cstdint>
#include <string>
#include <vector>

#include "imager/manifest.hpp"

namespace castline::imager {

constexpr std::uint64_t kPartitionHeadSize = 64 * 1024;

// The smallest target an image can be restored to, and what decides it. Every partition must
// lie inside the target whole (its file system keeps its size: one that ended past the device
// would not mount), and so must every table region, the extended partition of an MBR and the
// stored data; an image without partitions (--raw) needs the whole disk; a GPT's backup header and
// entry array move to the target's end, after the last partition. The job document's
// image_min_bytes is this number too.
struct TargetNeed {
    std::uint64_t bytes = 0;
    std::string reason;  // what ends there, e.g. "partition 5 (ext 'data') ends at byte N"
};
TargetNeed minimum_target_size(const Manifest& manifest);

// The whole plan's check before the first write: throws ImagerError(target_too_small) naming the
// first partition that does not fit and the smallest target that would, and for a GPT moved to
// a target of another size, checks the relocation itself (bad_image if the image's GPT is
// damaged).
void check_target_fits(const Manifest& manifest, std::uint64_t target_size);

// Sorted, merged ranges written last, clipped to the target.
std::vector<Extent> deferred_ranges(const Manifest& manifest, std::uint64_t target_size);

// The partition table regions to write on a target of target_size bytes. On a target of another
// size than the source disk, a GPT's backup header and entry array are left out: TargetWriter
// rebuilds them at the new end with relocate_gpt_file. check_target_fits refuses a target that
// any other region would not fit; should one not, it is left out and `warnings` says so.
std::vector<TableRegion> table_for_target(const Manifest& manifest, std::uint64_t target_size,
                                          std::vector<std::string>& warnings);

// Removes `cut` ranges from sorted `ranges`; both sorted and non-overlapping.
std::vector<Extent> subtract_ranges(const std::vector<Extent>& ranges,
                                    const std::vector<Extent>& cut);

}  // namespace castline::imager
