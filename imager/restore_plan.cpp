#include "imager/restore_plan.hpp"

#include <algorithm>
#include <optional>

#include "common/duration.hpp"
#include "imager/disk_layout.hpp"
#include "imager/errors.hpp"
#include "imager/gpt_relocate.hpp"
#include "imager/partition_table.hpp"
#include "imager/partition_table_gpt.hpp"

namespace castline::imager {
namespace {

std::string partition_name(const Partition& p) {
    // Number 0 is a file system on the whole disk, with no partition table around it.
    std::string name =
        p.number == 0 ? "the whole-disk file system" : "partition " + std::to_string(p.number);
    std::string detail = file_system_name(p.file_system);
    if (!p.label.empty()) detail += " '" + p.label + "'";
    return name + " (" + detail + ")";
}

std::uint64_t end_of(const Partition& p) {
    return p.offset + p.length;  // parse_manifest checked it lies inside the disk
}

// GPT partitions lie between the primary and the backup table, so the backup's regions are those
// from the end of the last partition on (or, with no partition, in the second half of the disk).
bool is_gpt_backup(const Manifest& m, const TableRegion& region) {
    if (m.table != TableKind::gpt) return false;
    std::uint64_t backup_from = m.partitions.empty() ? m.disk_size / 2 : 0;
    for (const auto& p : m.partitions) backup_from = std::max(backup_from, end_of(p));
    return region.offset >= backup_from;
}

// The image's table bytes at [offset, offset + length), if its table regions hold all of them.
std::optional<std::vector<std::uint8_t>> table_bytes(const Manifest& m, std::uint64_t offset,
                                                     std::uint64_t length) {
    std::vector<std::uint8_t> out(static_cast<std::size_t>(length));
    std::uint64_t covered = 0;
    for (const auto& t : m.table_regions) {
        const std::uint64_t from = std::max(offset, t.offset);
        const std::uint64_t to = std::min(offset + length, t.offset + t.bytes.size());
        if (from >= to) continue;
        std::copy(t.bytes.begin() + static_cast<long>(from - t.offset),
                  t.bytes.begin() + static_cast<long>(to - t.offset),
                  out.begin() + static_cast<long>(from - offset));
        covered += to - from;
    }
    if (covered != length) return std::nullopt;  // regions never overlap (capture merges them)
    return out;
}

std::optional<GptHeader> primary_gpt_header(const Manifest& m) {
    const auto sector = table_bytes(m, m.sector_size, m.sector_size);
    if (!sector) return std::nullopt;
    try {
        return parse_gpt_header(*sector, 1, m.disk_size / m.sector_size, m.sector_size);
    } catch (const LayoutError&) {
        return std::nullopt;
    }
}

// Bytes the relocated backup takes at the target's end: its entry array and header sector
// (relocate_gpt), read from the primary header; from the stored backup regions when the
// primary cannot be read (the relocation check then refuses the image).
std::uint64_t gpt_backup_bytes(const Manifest& m) {
    if (const auto h = primary_gpt_header(m))
        return (h->array_sectors(m.sector_size) + 1) * m.sector_size;
    std::uint64_t bytes = 0;
    for (const auto& t : m.table_regions)
        if (is_gpt_backup(m, t)) bytes += t.bytes.size();
    return bytes;
}

// The end of an MBR's extended partition: it is in no partition list, but the table describes it
// and Linux and partitioning tools refuse one that runs past the disk.
std::optional<std::uint64_t> extended_partition_end(const Manifest& m) {
    if (m.table != TableKind::mbr) return std::nullopt;
    const auto mbr = table_bytes(m, 0, 512);
    if (!mbr || (*mbr)[510] != 0x55 || (*mbr)[511] != 0xAA) return std::nullopt;
    std::optional<std::uint64_t> end;
    for (std::size_t at = 446; at < 510; at += 16) {
        const auto type = (*mbr)[at + 4];
        if (type != 0x05 && type != 0x0F && type != 0x85) continue;
        const std::uint64_t sectors = std::uint64_t{le32(*mbr, at + 8)} + le32(*mbr, at + 12);
        end = std::max(end.value_or(0), sectors * m.sector_size);
    }
    return end;
}

}  // namespace

TargetNeed minimum_target_size(const Manifest& m) {
    TargetNeed need;
    // Describing only the winner keeps this cheap on a chunk table of a million entries.
    const auto consider = [&need](std::uint64_t end, const auto& describe) {
        if (end <= need.bytes) return;
        need.bytes = end;
        need.reason = describe();
    };
    for (std::size_t i = 0; i < m.chunks.size(); ++i)
        for (const auto& p : m.chunks[i].pieces)
            consider(p.offset + p.length, [&] {
                return "the stored data (chunk " + std::to_string(i) + ") ends at byte " +
                       std::to_string(p.offset + p.length);
            });
    for (const auto& p : m.partitions)
        consider(end_of(p),
                 [&] { return partition_name(p) + " ends at byte " + std::to_string(end_of(p)); });
    if (const auto end = extended_partition_end(m))
        consider(*end,
                 [&] { return "the extended partition ends at byte " + std::to_string(*end); });
    for (const auto& t : m.table_regions)
        if (!is_gpt_backup(m, t))
            consider(t.offset + t.bytes.size(), [&] {
                return "the partition table region at byte " + std::to_string(t.offset) +
                       " ends at byte " + std::to_string(t.offset + t.bytes.size());
            });
    if (m.table == TableKind::gpt) {
        if (const auto h = primary_gpt_header(m))
            consider((h->first_usable + 1) * m.sector_size, [&] {
                return "the GPT's usable area begins at sector " + std::to_string(h->first_usable);
            });
        const auto backup = gpt_backup_bytes(m);
        need.bytes += backup;
        need.reason += ", and the backup GPT (" + std::to_string(backup) + " bytes) follows it";
    }
    // Without partitions (--raw, or a disk of unknown contents) nothing tells where the data's
    // structures end; a file system may run to the last sector even where its tail is zero.
    if (m.partitions.empty())
        consider(m.disk_size, [&] {
            return "the image holds the whole disk, whose partitions it does not know, up to "
                   "byte " +
                   std::to_string(m.disk_size);
        });
    return need;
}

void check_target_fits(const Manifest& m, std::uint64_t target_size) {
    const auto need = minimum_target_size(m);
    if (target_size < need.bytes) {
        std::string culprit = need.reason;
        for (const auto& p : m.partitions)
            if (end_of(p) > target_size) {
                culprit = partition_name(p) + " ends at byte " + std::to_string(end_of(p)) +
                          ", past the target's end";
                break;
            }
        throw ImagerError(ExitCode::target_too_small,
                          "target too small: it has " + size_text(target_size) + "; " + culprit +
                              "; the smallest target this image fits on has " +
                              size_text(need.bytes));
    }
    if (m.table != TableKind::gpt || target_size == m.disk_size) return;
    // The relocation TargetWriter::finish will do, tried on the image's own table first, so that
    // a GPT that cannot be moved stops the restore before the first write, not after the last.
    const auto sector = m.sector_size;
    try {
        const auto mbr = table_bytes(m, 0, sector);
        const auto primary = table_bytes(m, sector, sector);
        if (!mbr || !primary) throw LayoutError("its protective MBR and header are not stored");
        const auto h = parse_gpt_header(*primary, 1, m.disk_size / sector, sector);
        const auto entries = table_bytes(m, h.entries_lba * sector, h.array_bytes());
        if (!entries) throw LayoutError("its entry array is not stored");
        relocate_gpt(*mbr, *primary, *entries, target_size, sector);
    } catch (const LayoutError& e) {
        throw bad_image("manifest: the image's GPT cannot be moved to the end of a target of " +
                        size_text(target_size) + ": " + e.what());
    }
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
