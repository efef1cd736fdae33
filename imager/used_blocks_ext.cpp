// ext2/3/4 through libext2fs: the block bitmap is the truth (it marks the superblock copies,
// group descriptors, bitmaps and inode tables used too), walked run by run. With bigalloc the
// bitmap is per cluster and libext2fs answers in blocks, so runs come out cluster-aligned.
#include <ext2fs/ext2fs.h>

#include <cstdio>
#include <memory>

#include "imager/used_blocks.hpp"

namespace castline::imager {
namespace {

struct FsCloser {
    void operator()(ext2_filsys fs) const { ext2fs_close_free(&fs); }
};

std::string error_text(errcode_t code) {
    return error_message(code);
}

std::string uuid_text(const __u8* u) {
    char text[37];
    std::snprintf(text, sizeof text,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
                  u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                  u[14], u[15]);
    return text;
}

}  // namespace

std::string ext_first_data_block_problem(std::uint64_t first_data_block, std::uint64_t block_size,
                                         std::uint64_t cluster_ratio) {
    const std::uint64_t should_be = block_size == 1024 && cluster_ratio == 1 ? 1 : 0;
    if (first_data_block == should_be) return "";
    return "superblock says the first data block is " + std::to_string(first_data_block) +
           ", it must be " + std::to_string(should_be);
}

FileSystemUsage ext_used_blocks(const PartitionSource& source) {
    initialize_ext2_error_table();
    ext2_filsys raw = nullptr;
    const std::string io_options = "offset=" + std::to_string(source.offset);
    errcode_t err = ext2fs_open2(source.disk.c_str(), io_options.c_str(), EXT2_FLAG_64BITS, 0, 0,
                                 unix_io_manager, &raw);
    if (err) throw LayoutError("ext: cannot open: " + error_text(err));
    const std::unique_ptr<struct struct_ext2_filsys, FsCloser> fs(raw);
    const auto* sb = fs->super;
    const std::uint64_t block_size = fs->blocksize;
    const blk64_t blocks = ext2fs_blocks_count(fs->super);
    if (blocks > source.length / block_size)
        throw LayoutError("ext: file system of " + std::to_string(blocks) + " blocks of " +
                          std::to_string(block_size) + " bytes is larger than the partition");
    // A journal waiting for replay may allocate blocks the on-disk bitmap does not show yet.
    if (ext2fs_has_feature_journal_needs_recovery(fs->super))
        throw LayoutError("ext: journal needs recovery (mounted, or not cleanly unmounted)");
    if (sb->s_state & EXT2_ERROR_FS)
        throw LayoutError("ext: file system is marked as having errors (run e2fsck)");
    if (ext2fs_has_feature_journal_dev(fs->super))
        throw LayoutError("ext: this is an external journal device, not a file system");
    if (const auto problem = ext_first_data_block_problem(sb->s_first_data_block, block_size,
                                                          EXT2FS_CLUSTER_RATIO(fs.get()));
        !problem.empty())
        throw LayoutError("ext: " + problem);

    err = ext2fs_read_block_bitmap(fs.get());
    if (err) throw LayoutError("ext: cannot read the block bitmap: " + error_text(err));

    FileSystemUsage usage;
    usage.kind = FileSystemKind::ext;
    usage.uuid = uuid_text(sb->s_uuid);
    usage.label.assign(
        reinterpret_cast<const char*>(sb->s_volume_name),
        strnlen(reinterpret_cast<const char*>(sb->s_volume_name), sizeof sb->s_volume_name));
    // Blocks before the first data block (the 1 KiB boot block of 1 KiB-block file systems) are
    // outside the bitmap; keep them and the superblock's block: boot loaders may live there.
    const blk64_t first = sb->s_first_data_block;
    usage.used.push_back({0, (first + 1) * block_size});

    const blk64_t last = blocks - 1;
    const blk64_t cluster = EXT2FS_CLUSTER_RATIO(fs.get());
    std::uint64_t used_blocks = 0;
    blk64_t at = first;
    while (at <= last) {
        blk64_t run_start = 0, run_end = 0;
        if (ext2fs_find_first_set_block_bitmap2(fs->block_map, at, last, &run_start) != 0) break;
        if (ext2fs_find_first_zero_block_bitmap2(fs->block_map, run_start, last, &run_end) != 0)
            run_end = last + 1;
        run_end = std::min<blk64_t>((run_end + cluster - 1) / cluster * cluster, last + 1);
        usage.used.push_back({run_start * block_size, (run_end - run_start) * block_size});
        used_blocks += run_end - run_start;
        at = run_end;
    }
    const std::uint64_t free_in_bitmap = (blocks - first) - used_blocks;
    const std::uint64_t free_in_super = ext2fs_free_blocks_count(fs->super);
    if (free_in_bitmap != free_in_super)
        throw LayoutError("ext: superblock counts " + std::to_string(free_in_super) +
                          " free blocks, the block bitmap " + std::to_string(free_in_bitmap));
    return usage;
}

}  // namespace castline::imager
