// NTFS through libntfs-3g on a partition device (ntfs_partition_device.hpp). Names are looked up
// as Windows does, without case (upcase table of the volume); created files and folders get
// libntfs-3g's default security descriptor and no DOS 8.3 name, as ntfs-3g's own tools make them.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "imager/errors.hpp"
#include "imager/partition_files.hpp"
// libntfs-3g last: its support.h defines min and max as macros.
#include "imager/ntfs_partition_device.hpp"
extern "C" {
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/unistr.h>
}
#undef min
#undef max

namespace castline::imager {
namespace {

constexpr s64 largest_read = 64 << 20;

struct UnicodeName {
    ntfschar* text = nullptr;
    int length = 0;
    explicit UnicodeName(const std::string& name) {
        length = ntfs_mbstoucs(name.c_str(), &text);
        if (length < 0 || length > 255)
            throw postconfig_failed("\"" + name + "\" is not a valid NTFS file name");
    }
    ~UnicodeName() { std::free(text); }
    UnicodeName(const UnicodeName&) = delete;
    UnicodeName& operator=(const UnicodeName&) = delete;
};

struct Inode {
    ntfs_inode* ni = nullptr;
    explicit Inode(ntfs_inode* n = nullptr) : ni(n) {}
    Inode(Inode&& o) noexcept : ni(o.ni) { o.ni = nullptr; }
    Inode& operator=(Inode&& o) noexcept {
        std::swap(ni, o.ni);
        return *this;
    }
    ~Inode() {
        if (ni) ntfs_inode_close(ni);
    }
    // Closing writes the inode back; its failure is a failed write. A file is closed through
    // its open folder, which libntfs-3g would otherwise reopen to update the folder's entry.
    int close() {
        const int rc = ntfs_inode_close(ni);
        ni = nullptr;
        return rc;
    }
    int close_in(const Inode& dir) {
        const int rc = ntfs_inode_close_in_dir(ni, dir.ni);
        ni = nullptr;
        return rc;
    }
    bool is_directory() const { return ni->mrec->flags & MFT_RECORD_IS_DIRECTORY; }
};

struct Attribute {
    ntfs_attr* na;
    ~Attribute() {
        if (na) ntfs_attr_close(na);
    }
};

struct FileDescriptor {
    int fd = -1;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

struct Volume {
    ntfs_volume* vol = nullptr;
    ~Volume() {
        if (vol) ntfs_umount(vol, FALSE);  // also frees the device
    }
};

struct CaseInsensitiveMatch {
    const UnicodeName* name;
    ntfs_volume* vol;
    MFT_REF found = 0;
    bool matched = false;
};

int match_entry(void* context, const ntfschar* name, const int name_len, const int name_type,
                const s64, const MFT_REF mref, const unsigned) {
    auto& m = *static_cast<CaseInsensitiveMatch*>(context);
    if (name_type == FILE_NAME_DOS || name_len != m.name->length) return 0;
    if (!ntfs_names_are_equal(name, static_cast<size_t>(name_len), m.name->text,
                              static_cast<size_t>(m.name->length), IGNORE_CASE, m.vol->upcase,
                              m.vol->upcase_len))
        return 0;
    m.found = mref;
    m.matched = true;
    return 1;  // stops the walk
}

class NtfsFiles : public PartitionFiles {
  public:
    NtfsFiles(const std::filesystem::path& disk, const Partition& p, bool writable)
        : where_(partition_description(p)) {
        // libntfs-3g prints its own diagnostics; ours carry the facts with the partition named.
        ntfs_log_set_handler(ntfs_log_handler_null);
        fd_.fd = ::open(disk.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
        if (fd_.fd < 0)
            fail(std::string("cannot open ") + disk.string() + ": " + std::strerror(errno));
        device_ = {fd_.fd, p.offset, p.length, writable, 0};
        ntfs_device* dev = ntfs_device_alloc(disk.c_str(), 0, &ntfs_partition_operations, &device_);
        if (!dev) fail("out of memory");
        vol_.vol = ntfs_device_mount(dev, writable ? NTFS_MNT_NONE : NTFS_MNT_RDONLY);
        if (!vol_.vol) {
            const int err = errno;
            ntfs_device_free(dev);
            if (err == EPERM)
                fail(
                    "Windows is hibernated or was not shut down fully (fast startup); it cannot "
                    "be written safely");
            fail(std::string("cannot open the volume: ") + std::strerror(err));
        }
        if (vol_.vol->flags & VOLUME_IS_DIRTY) fail("volume is marked dirty (run chkdsk)");
    }

    std::optional<std::string> read_file(const PartitionPath& path) override {
        Inode file = walk(path, false);
        if (!file.ni) return std::nullopt;
        if (file.is_directory()) fail(path.text() + " is a folder, not a file");
        Attribute data{ntfs_attr_open(file.ni, AT_DATA, AT_UNNAMED, 0)};
        if (!data.na) fail(path.text() + ": cannot open its data: " + std::strerror(errno));
        if (data.na->data_size > largest_read)
            fail(path.text() + " is larger than " + std::to_string(largest_read) + " bytes");
        std::string bytes(static_cast<std::size_t>(data.na->data_size), '\0');
        if (ntfs_attr_pread(data.na, 0, data.na->data_size, bytes.data()) != data.na->data_size)
            fail(path.text() + ": cannot read: " + std::strerror(errno));
        return bytes;
    }

    bool exists(const PartitionPath& path) override { return walk(path, false).ni != nullptr; }

    void write_file(const PartitionPath& path, std::string_view content) override {
        PartitionPath parent{{path.parts.begin(), path.parts.end() - 1}};
        Inode dir = parent.parts.empty() ? open_root() : walk(parent, true);
        if (!dir.is_directory()) fail(parent.text() + " is a file, not a folder");
        Inode file = child(dir, path.parts.back());
        if (!file.ni) {
            const UnicodeName name(path.parts.back());
            file = Inode(ntfs_create(dir.ni, const_cpu_to_le32(0), name.text,
                                     static_cast<u8>(name.length), S_IFREG));
            if (!file.ni) fail(path.text() + ": cannot create: " + std::strerror(errno));
        } else if (file.is_directory()) {
            fail(path.text() + " is a folder, not a file");
        }
        {
            Attribute data{ntfs_attr_open(file.ni, AT_DATA, AT_UNNAMED, 0)};
            if (!data.na) fail(path.text() + ": cannot open its data: " + std::strerror(errno));
            if (data.na->data_flags & ATTR_IS_ENCRYPTED)
                fail(path.text() + " is encrypted (EFS) and cannot be written");
            const s64 size = static_cast<s64>(content.size());
            if (ntfs_attr_truncate(data.na, 0) != 0)
                fail(path.text() + ": cannot truncate: " + std::strerror(errno));
            for (s64 done = 0; done < size;) {
                const s64 n = ntfs_attr_pwrite(data.na, done, size - done, content.data() + done);
                if (n <= 0) fail(path.text() + ": cannot write: " + std::strerror(errno));
                done += n;
            }
        }
        ntfs_inode_update_times(file.ni, static_cast<ntfs_time_update_flags>(NTFS_UPDATE_MCTIME));
        if (file.close_in(dir) != 0 || dir.close() != 0)
            fail(path.text() + ": cannot write its record: " + std::strerror(errno));
    }

    std::string label() override { return vol_.vol->vol_name ? vol_.vol->vol_name : ""; }

  private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw postconfig_failed(where_ + ": " + problem);
    }

    Inode open_root() {
        Inode root(ntfs_inode_open(vol_.vol, FILE_root));
        if (!root.ni) fail(std::string("cannot open the root folder: ") + std::strerror(errno));
        return root;
    }

    // The entry `name` of `dir`: the exact name first (an index lookup), else any entry equal
    // without case, as Windows would find it.
    Inode child(const Inode& dir, const std::string& name) {
        const UnicodeName uname(name);
        u64 mref = ntfs_inode_lookup_by_name(dir.ni, uname.text, uname.length);
        if (mref == static_cast<u64>(-1)) {
            CaseInsensitiveMatch match{&uname, vol_.vol};
            s64 position = 0;
            ntfs_readdir(dir.ni, &position, &match, match_entry);
            if (!match.matched) return Inode();
            mref = match.found;
        }
        Inode found(ntfs_inode_open(vol_.vol, MREF(mref)));
        if (!found.ni) fail("cannot open \"" + name + "\": " + std::strerror(errno));
        return found;
    }

    // The inode at `path`, or none; with `create_folders` every missing part is made a folder.
    Inode walk(const PartitionPath& path, bool create_folders) {
        Inode at = open_root();
        for (std::size_t i = 0; i < path.parts.size(); ++i) {
            if (!at.is_directory()) {
                if (!create_folders) return Inode();
                fail(PartitionPath{{path.parts.begin(), path.parts.begin() + long(i)}}.text() +
                     " is a file, not a folder");
            }
            Inode next = child(at, path.parts[i]);
            if (!next.ni && create_folders) {
                const UnicodeName name(path.parts[i]);
                next = Inode(ntfs_create(at.ni, const_cpu_to_le32(0), name.text,
                                         static_cast<u8>(name.length), S_IFDIR));
                if (!next.ni)
                    fail("cannot create folder \"" + path.parts[i] + "\": " + std::strerror(errno));
            }
            if (!next.ni) return Inode();
            at = std::move(next);
        }
        return at;
    }

    // Destroyed in reverse: the volume is unmounted (and written back) before the file closes.
    std::string where_;
    FileDescriptor fd_;
    NtfsPartitionDevice device_;
    Volume vol_;
};

}  // namespace

std::unique_ptr<PartitionFiles> open_ntfs_files(const std::filesystem::path& disk,
                                                const Partition& partition, bool writable) {
    return std::make_unique<NtfsFiles>(disk, partition, writable);
}

}  // namespace castline::imager
