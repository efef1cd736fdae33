#include "imager/restore_plan.hpp"

#include <algorithm>

#include "imager/disk_layout.hpp"
#include "imager/errors.hpp"

namespace castline::imager {
namespace {

bool is_gpt_backup(const Manifest& m, const TableRegion& region) {
    // The primary GPT sits in the first sectors; anything in the second half of the disk is the
    // backup header or its entry array.
    return m.table == TableKind::gpt && region.offset >= m.disk_size / 2;
}

std::string partition_name(const Partition& p) {
    std::string name = "partition " + std::to_string(p.number);
    std::string detail = file_system_name(p.file_system);
    if (!p.label.empty()) detail += " '" + p.label + "'";
    return name + " (" + detail + ")";
}

}  // namespace

std::uint64_t required_target_size(const Manifest& m) {
    std::uint64_t end = 0;
    for (const auto& c : m.chunks)
        for (const auto& p : c.pieces) end = std::max(end, p.offset + p.length);
    for (const auto& t : m.table_regions)
        if (!is_gpt_backup(m, t)) end = std::max(end, t.offset + t.bytes.size());
    // Used ranges that were all zero are in no chunk, but they are still used.
    for (const auto& p : m.partitions) {
        if (p.whole) end = std::max(end, p.offset + p.length);
        for (const auto& e : p.used) end = std::max(end, e.offset + e.length);
    }
    return end;
}

void check_target_fits(const Manifest& m, std::uint64_t target_size) {
    const auto required = required_target_size(m);
    if (target_size >= required) return;
    for (const auto& p : m.partitions) {
        std::uint64_t last = 0;
        if (p.whole) last = p.offset + p.length;
        for (const auto& e : p.used) last = std::max(last, e.offset + e.length);
        if (last > target_size)
            throw ImagerError(ExitCode::target_too_small,
                              "target too small: it has " + std::to_string(target_size) +
                                  " bytes; " + partition_name(p) + " needs " +
                                  std::to_string(last) + " (its last used byte)");
    }
    throw ImagerError(ExitCode::target_too_small,
                      "target too small: it has " + std::to_string(target_size) +
                          " bytes; the image holds data up to byte " + std::to_string(required));
}

std::vector<Extent> deferred_ranges(const Manifest& m, std::uint64_t target_size) {
    std::vector<Extent> ranges;
    for (const auto& t : m.table_regions) ranges.push_back({t.offset, t.bytes.size()});
    for (const auto& p : m.partitions)
        ranges.push_back({p.offset, std::min(p.length, kPartitionHeadSize)});
    if (m.partitions.empty()) {
        // A raw image: its table and boot sectors, and a GPT backup, are at the two ends.
        ranges.push_back({0, std::min(m.disk_size, kPartitionHeadSize)});
        const auto tail = std::min(m.disk_size, kPartitionHeadSize);
        ranges.push_back({m.disk_size - tail, tail});
    }
    for (auto& r : ranges) {
        if (r.offset >= target_size) r.length = 0;
        r.length = std::min(r.length, target_size - std::min(target_size, r.offset));
    }
    return merge_extents(std::move(ranges));
}

std::vector<TableRegion> table_for_target(const Manifest& m, std::uint64_t target_size,
                                          std::vector<std::string>& warnings) {
    // A GPT backup is rebuilt at the target's end by relocate_gpt_file after the rest is written.
    std::vector<TableRegion> out;
    bool left_out = false;
    for (const auto& t : m.table_regions) {
        if (target_size != m.disk_size && is_gpt_backup(m, t)) continue;
        if (t.offset + t.bytes.size() > target_size) {
            left_out = true;
            continue;
        }
        out.push_back(t);
    }
    if (left_out)
        warnings.push_back(
            "a partition table region lies past the end of the target and was left out");
    return out;
}

std::vector<Extent> subtract_ranges(const std::vector<Extent>& ranges,
                                    const std::vector<Extent>& cut) {
    std::vector<Extent> out;
    std::size_t k = 0;
    for (auto r : ranges) {
        std::uint64_t at = r.offset;
        const std::uint64_t end = r.offset + r.length;
        while (k < cut.size() && cut[k].offset + cut[k].length <= at) ++k;
        for (std::size_t j = k; j < cut.size() && cut[j].offset < end; ++j) {
            if (cut[j].offset > at) out.push_back({at, cut[j].offset - at});
            at = std::max(at, cut[j].offset + cut[j].length);
        }
        if (at < end) out.push_back({at, end - at});
    }
    return out;
}

}  // namespace castline::imager
