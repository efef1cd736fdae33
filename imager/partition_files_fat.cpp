// FAT12/16/32 through mtools (mtype's siblings mcopy, mdir, mmd) run without a shell on
// DISK@@OFFSET: a well-kept FAT implementation with long names, instead of one of our own.
// mtools looks names up without case, as Windows does. The label is the boot sector's.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "common/subprocess.hpp"
#include "imager/errors.hpp"
#include "imager/partition_files.hpp"
#include "imager/used_blocks_fat.hpp"

namespace castline::imager {
namespace {

constexpr std::uintmax_t largest_read = 64 << 20;

// A file of our own for mcopy to read from or write to; removed when done.
struct TemporaryFile {
    std::filesystem::path path;
    TemporaryFile() {
        std::string name =
            (std::filesystem::temp_directory_path() / "castline-fat.XXXXXX").string();
        const int fd = ::mkstemp(name.data());
        if (fd < 0) throw postconfig_failed(std::string("temporary file: ") + std::strerror(errno));
        ::close(fd);
        path = name;
    }
    ~TemporaryFile() {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
    }
};

class FatFiles : public PartitionFiles {
  public:
    FatFiles(const std::filesystem::path& disk, const Partition& p)
        : where_(partition_description(p)),
          image_(disk.string() + "@@" + std::to_string(p.offset)) {
        std::vector<std::uint8_t> sector(512);
        const int fd = ::open(disk.c_str(), O_RDONLY | O_CLOEXEC);
        const bool read = fd >= 0 && ::pread(fd, sector.data(), sector.size(),
                                             static_cast<off_t>(p.offset)) == 512;
        if (fd >= 0) ::close(fd);
        if (!read) fail("cannot read the boot sector of " + disk.string());
        try {
            label_ = parse_fat_boot_sector(sector, p.length).label;
        } catch (const std::exception& e) {
            fail(e.what());
        }
    }

    std::optional<std::string> read_file(const PartitionPath& path) override {
        if (!exists(path)) return std::nullopt;
        const TemporaryFile copy;
        mtools({"mcopy", "-n", "-i", image_, fat_path(path), copy.path.string()},
               path.text() + ": cannot read");
        if (std::filesystem::file_size(copy.path) > largest_read)
            fail(path.text() + " is larger than " + std::to_string(largest_read) + " bytes");
        std::ifstream in(copy.path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    bool exists(const PartitionPath& path) override {
        const auto r = run({"mdir", "-b", "-i", image_, fat_path(path)});
        if (r.exit_code == 0) return true;
        if (r.output.find("not found") != std::string::npos) return false;
        fail("cannot list " + path.text() + ": " + r.output);
    }

    void write_file(const PartitionPath& path, std::string_view content) override {
        PartitionPath folder;
        for (std::size_t i = 0; i + 1 < path.parts.size(); ++i) {
            folder.parts.push_back(path.parts[i]);
            if (!exists(folder))
                mtools({"mmd", "-i", image_, fat_path(folder)},
                       "cannot create folder " + folder.text());
        }
        const TemporaryFile source;
        {
            std::ofstream out(source.path, std::ios::binary);
            out.write(content.data(), static_cast<std::streamsize>(content.size()));
            if (!out.flush()) fail(std::string("cannot write a temporary file"));
        }
        mtools({"mcopy", "-o", "-i", image_, source.path.string(), fat_path(path)},
               path.text() + ": cannot write");
    }

    std::string label() override { return label_; }

  private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw postconfig_failed(where_ + ": " + problem);
    }

    static std::string fat_path(const PartitionPath& path) { return "::/" + path.text(); }

    ProcessResult run(const std::vector<std::string>& argv) const {
        // Partitions Windows made rarely have the geometry mtools' checks expect; a user's
        // mtools configuration must not change what a post-config does.
        try {
            return run_process(
                argv, {{}, true, {"MTOOLS_SKIP_CHECK=1", "MTOOLSRC=/dev/null", "LC_ALL=C.UTF-8"}});
        } catch (const ProcessError& e) {
            fail(std::string(e.what()) + " (mtools is needed for FAT)");
        }
    }

    void mtools(const std::vector<std::string>& argv, const std::string& what) const {
        const auto r = run(argv);
        if (r.exit_code != 0)
            fail(what + ": " + argv[0] + " exited " + std::to_string(r.exit_code) + ": " +
                 r.output);
    }

    std::string where_;
    std::string image_;
    std::string label_;
};

}  // namespace

std::unique_ptr<PartitionFiles> open_fat_files(const std::filesystem::path& disk,
                                               const Partition& partition, bool) {
    return std::make_unique<FatFiles>(disk, partition);
}

}  // namespace castline::imager
