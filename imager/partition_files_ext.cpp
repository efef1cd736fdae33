// ext2/3/4 through libext2fs on the partition (io option "offset="), as debugfs writes files:
// ext2fs_link and a new inode with extents or inline data as the file system's features say.
// Names are case-sensitive, as Linux reads them. A journal waiting for replay is refused: the
// file system is not in the state its on-disk structures describe.
#include <ext2fs/ext2fs.h>

#include <algorithm>
#include <ctime>

#include "imager/errors.hpp"
#include "imager/partition_files.hpp"
#include "imager/used_blocks.hpp"

namespace castline::imager {
namespace {

constexpr __u64 largest_read = 64 << 20;

class ExtFiles : public PartitionFiles {
  public:
    ExtFiles(const std::filesystem::path& disk, const Partition& p, bool writable)
        : where_(partition_description(p)) {
        initialize_ext2_error_table();
        const std::string io_options = "offset=" + std::to_string(p.offset);
        check(ext2fs_open2(disk.c_str(), io_options.c_str(),
                           EXT2_FLAG_64BITS | (writable ? EXT2_FLAG_RW : 0), 0, 0, unix_io_manager,
                           &fs_.fs),
              "cannot open the file system");
        if (ext2fs_blocks_count(fs_.fs->super) > p.length / fs_.fs->blocksize)
            fail("the file system is larger than the partition");
        if (ext2fs_has_feature_journal_needs_recovery(fs_.fs->super))
            fail("journal needs recovery (mounted, or not cleanly unmounted)");
        if (const auto problem = ext_first_data_block_problem(
                fs_.fs->super->s_first_data_block, fs_.fs->blocksize, EXT2FS_CLUSTER_RATIO(fs_.fs));
            !problem.empty())
            fail(problem);
        if (writable) check(ext2fs_read_bitmaps(fs_.fs), "cannot read the bitmaps");
    }

    std::optional<std::string> read_file(const PartitionPath& path) override {
        const auto ino = walk(path, false);
        if (!ino) return std::nullopt;
        ext2_inode inode{};
        check(ext2fs_read_inode(fs_.fs, ino, &inode), path.text() + ": cannot read its inode");
        if (!LINUX_S_ISREG(inode.i_mode)) fail(path.text() + " is not a regular file");
        ext2_file_t file = nullptr;
        check(ext2fs_file_open(fs_.fs, ino, 0, &file), path.text() + ": cannot open");
        __u64 size = 0;
        ext2fs_file_get_lsize(file, &size);
        std::string bytes(std::min(size, largest_read + 1), '\0');
        unsigned int got = 0;
        const errcode_t err =
            ext2fs_file_read(file, bytes.data(), static_cast<unsigned>(bytes.size()), &got);
        ext2fs_file_close(file);
        check(err, path.text() + ": cannot read");
        if (size > largest_read)
            fail(path.text() + " is larger than " + std::to_string(largest_read) + " bytes");
        bytes.resize(got);
        return bytes;
    }

    bool exists(const PartitionPath& path) override { return walk(path, false) != 0; }

    void write_file(const PartitionPath& path, std::string_view content) override {
        const PartitionPath parent{{path.parts.begin(), path.parts.end() - 1}};
        const ext2_ino_t dir = parent.parts.empty() ? EXT2_ROOT_INO : walk(parent, true);
        ext2_ino_t ino = lookup(dir, path.parts.back());
        if (ino) {
            ext2_inode inode{};
            check(ext2fs_read_inode(fs_.fs, ino, &inode), path.text() + ": cannot read its inode");
            if (!LINUX_S_ISREG(inode.i_mode)) fail(path.text() + " is not a regular file");
        } else {
            ino = create_file(dir, path);
        }
        ext2_file_t file = nullptr;
        check(ext2fs_file_open(fs_.fs, ino, EXT2_FILE_WRITE, &file), path.text() + ": cannot open");
        errcode_t err = ext2fs_file_set_size2(file, 0);
        for (std::size_t done = 0; !err && done < content.size();) {
            unsigned int written = 0;
            err = ext2fs_file_write(
                file, content.data() + done,
                static_cast<unsigned>(std::min<std::size_t>(content.size() - done, 1u << 20)),
                &written);
            if (!err && written == 0) err = EXT2_ET_SHORT_WRITE;
            done += written;
        }
        const errcode_t close_err = ext2fs_file_close(file);
        check(err ? err : close_err, path.text() + ": cannot write");
        ext2_inode inode{};
        check(ext2fs_read_inode(fs_.fs, ino, &inode), path.text() + ": cannot read its inode");
        inode.i_mtime = inode.i_ctime = static_cast<__u32>(std::time(nullptr));
        check(ext2fs_write_inode(fs_.fs, ino, &inode), path.text() + ": cannot write its inode");
        check(ext2fs_write_bitmaps(fs_.fs), "cannot write the bitmaps");
        check(ext2fs_flush(fs_.fs), "cannot write the superblock and group descriptors");
    }

    std::string label() override {
        const auto* name = reinterpret_cast<const char*>(fs_.fs->super->s_volume_name);
        return std::string(name, strnlen(name, sizeof fs_.fs->super->s_volume_name));
    }

  private:
    struct Handle {
        ext2_filsys fs = nullptr;
        ~Handle() {
            if (fs) ext2fs_close_free(&fs);
        }
    };

    [[noreturn]] void fail(const std::string& problem) const {
        throw postconfig_failed(where_ + ": " + problem);
    }
    void check(errcode_t err, const std::string& what) const {
        if (err) fail(what + ": " + error_message(err));
    }

    ext2_ino_t lookup(ext2_ino_t dir, const std::string& name) {
        ext2_ino_t ino = 0;
        const errcode_t err =
            ext2fs_lookup(fs_.fs, dir, name.c_str(), static_cast<int>(name.size()), nullptr, &ino);
        if (err == EXT2_ET_FILE_NOT_FOUND) return 0;
        check(err, "cannot look up \"" + name + "\"");
        return ino;
    }

    // The inode at `path`, or 0; with `create_folders` every missing part is made a folder.
    ext2_ino_t walk(const PartitionPath& path, bool create_folders) {
        ext2_ino_t at = EXT2_ROOT_INO;
        for (const auto& part : path.parts) {
            if (ext2fs_check_directory(fs_.fs, at) != 0) {
                if (!create_folders) return 0;
                fail("\"" + part + "\" cannot be made: its parent is not a folder");
            }
            ext2_ino_t next = lookup(at, part);
            if (!next && create_folders) {
                errcode_t err = ext2fs_mkdir(fs_.fs, at, 0, part.c_str());
                if (err == EXT2_ET_DIR_NO_SPACE) {
                    check(ext2fs_expand_dir(fs_.fs, at), "cannot grow a folder");
                    err = ext2fs_mkdir(fs_.fs, at, 0, part.c_str());
                }
                check(err, "cannot create folder \"" + part + "\"");
                next = lookup(at, part);
            }
            if (!next) return 0;
            at = next;
        }
        return at;
    }

    ext2_ino_t create_file(ext2_ino_t dir, const PartitionPath& path) {
        const std::string& name = path.parts.back();
        ext2_ino_t ino = 0;
        check(ext2fs_new_inode(fs_.fs, dir, LINUX_S_IFREG | 0644, nullptr, &ino),
              path.text() + ": no free inode");
        errcode_t err = ext2fs_link(fs_.fs, dir, name.c_str(), ino, EXT2_FT_REG_FILE);
        if (err == EXT2_ET_DIR_NO_SPACE) {
            check(ext2fs_expand_dir(fs_.fs, dir), "cannot grow a folder");
            err = ext2fs_link(fs_.fs, dir, name.c_str(), ino, EXT2_FT_REG_FILE);
        }
        check(err, path.text() + ": cannot link");
        ext2fs_inode_alloc_stats2(fs_.fs, ino, +1, 0);
        ext2_inode inode{};
        inode.i_mode = LINUX_S_IFREG | 0644;
        inode.i_atime = inode.i_ctime = inode.i_mtime = static_cast<__u32>(std::time(nullptr));
        inode.i_links_count = 1;
        if (ext2fs_has_feature_inline_data(fs_.fs->super)) {
            inode.i_flags |= EXT4_INLINE_DATA_FL;
        } else if (ext2fs_has_feature_extents(fs_.fs->super)) {
            ext2_extent_handle_t handle = nullptr;
            check(ext2fs_extent_open2(fs_.fs, ino, &inode, &handle),
                  path.text() + ": cannot start its extent tree");
            ext2fs_extent_free(handle);
        }
        check(ext2fs_write_new_inode(fs_.fs, ino, &inode), path.text() + ": cannot write inode");
        if (inode.i_flags & EXT4_INLINE_DATA_FL)
            check(ext2fs_inline_data_init(fs_.fs, ino), path.text() + ": cannot start inline data");
        return ino;
    }

    std::string where_;
    Handle fs_;
};

}  // namespace

std::unique_ptr<PartitionFiles> open_ext_files(const std::filesystem::path& disk,
                                               const Partition& partition, bool writable) {
    return std::make_unique<ExtFiles>(disk, partition, writable);
}

}  // namespace castline::imager
