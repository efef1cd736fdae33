#pragma once
// Pure decisions of a restore: whether a target is large enough, and which disk ranges are
// written last (partition tables and the first 64 KiB of each partition) so that a restore
// that stops midway leaves a disk that does not look bootable or mountable.
#include <cstdint>
#include <vector>

#include "imager/manifest.hpp"

namespace castline::imager {

constexpr std::uint64_t kPartitionHeadSize = 64 * 1024;

// Bytes the target must hold: the end of the furthest chunk piece, table region, used extent or
// whole partition, except a GPT backup header and array, which move to the end of the target.
std::uint64_t required_target_size(const Manifest& manifest);

// Throws ImagerError(target_too_small) naming the first partition whose used data does not fit.
void check_target_fits(const Manifest& manifest, std::uint64_t target_size);

// Sorted, merged ranges written last, clipped to the target.
std::vector<Extent> deferred_ranges(const Manifest& manifest, std::uint64_t target_size);

// The partition table regions to write on a target of target_size bytes. On a target of another
// size than the source disk, a GPT's backup header and entry array belong at the new end: that
// is relocate_gpt()'s job (imager/gpt_relocate.hpp, from the used-blocks work); until it is
// linked in, regions that do not fit are left out and `warning` says so.
std::vector<TableRegion> table_for_target(const Manifest& manifest, std::uint64_t target_size,
                                          std::vector<std::string>& warnings);

// Removes `cut` ranges from sorted `ranges`; both sorted and non-overlapping.
std::vector<Extent> subtract_ranges(const std::vector<Extent>& ranges,
                                    const std::vector<Extent>& cut);

}  // namespace castline::imager
