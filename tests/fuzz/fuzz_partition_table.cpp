// Any bytes as a whole disk: the MBR/GPT reader, and the FAT and swap readers on each partition
// (and on the whole disk), must answer with a result or a LayoutError, never crash. A GPT that
// parses must survive relocation to a larger disk and parse to the same partitions there.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "imager/gpt_relocate.hpp"
#include "imager/partition_table.hpp"
#include "imager/used_blocks.hpp"

using namespace castline::imager;

namespace {

PartitionTable read_buffer(const std::vector<std::uint8_t>& disk) {
    return read_partition_table(
        [&](std::uint64_t at, std::span<std::uint8_t> out) {
            if (at > disk.size() || out.size() > disk.size() - at) __builtin_trap();
            std::memcpy(out.data(), disk.data() + at, out.size());
        },
        disk.size(), 512);
}

// The file system readers that parse the bytes themselves (ext and NTFS go through libext2fs and
// libntfs-3g, which need a file).
void read_file_system(const std::vector<std::uint8_t>& disk, std::uint64_t offset,
                      std::uint64_t length) {
    const auto head = std::span(disk).subspan(offset, std::min<std::uint64_t>(length, 65536));
    const PartitionSource source{"", offset, length,
                                 [&](std::uint64_t at, std::span<std::uint8_t> out) {
                                     if (at > length || out.size() > length - at)
                                         throw LayoutError("read past the end");
                                     std::memcpy(out.data(), disk.data() + offset + at, out.size());
                                 }};
    try {
        FileSystemUsage usage;
        switch (detect_file_system(head)) {
            case FileSystemKind::fat:
                usage = fat_used_blocks(source);
                break;
            case FileSystemKind::swap:
                usage = swap_used_blocks(head);
                break;
            default:
                return;
        }
        for (const auto& e : usage.used)
            if (e.offset > length || e.length > length - e.offset) __builtin_trap();
    } catch (const LayoutError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::uint8_t> disk(data, data + size);
    read_file_system(disk, 0, size);
    PartitionTable table;
    try {
        table = read_buffer(disk);
    } catch (const LayoutError& e) {
        if (std::strlen(e.what()) == 0) __builtin_trap();
        return 0;
    }
    for (const auto& p : table.partitions) {
        if (p.offset + p.length > size || p.length == 0) __builtin_trap();
        read_file_system(disk, p.offset, p.length);
    }
    if (table.kind != TableKind::gpt || table.sector_size != 512) return 0;

    std::vector<std::uint8_t> bigger(disk);
    bigger.resize(disk.size() + 64 * 512);
    std::vector<std::uint8_t> mbr(disk.begin(), disk.begin() + 512);
    std::vector<std::uint8_t> header(disk.begin() + 512, disk.begin() + 1024);
    const std::uint64_t entries_lba = le64(header, 72);
    const std::uint64_t array = std::uint64_t{le32(header, 80)} * le32(header, 84);
    std::vector<std::uint8_t> entries(disk.begin() + static_cast<long>(entries_lba * 512),
                                      disk.begin() + static_cast<long>(entries_lba * 512 + array));
    const GptRelocation r = relocate_gpt(mbr, header, entries, bigger.size(), 512);
    std::copy(entries.begin(), entries.end(),
              bigger.begin() + static_cast<long>(r.backup_entries_lba * 512));
    std::copy(r.backup_header.begin(), r.backup_header.end(),
              bigger.begin() + static_cast<long>(r.backup_header_lba * 512));
    std::copy(r.primary_header.begin(), r.primary_header.end(), bigger.begin() + 512);
    std::copy(r.protective_mbr.begin(), r.protective_mbr.end(), bigger.begin());
    const PartitionTable moved = read_buffer(bigger);
    if (moved.partitions.size() != table.partitions.size() || !moved.warnings.empty())
        __builtin_trap();
    for (std::size_t i = 0; i < moved.partitions.size(); ++i)
        if (moved.partitions[i].offset != table.partitions[i].offset ||
            moved.partitions[i].length != table.partitions[i].length)
            __builtin_trap();
    return 0;
}
