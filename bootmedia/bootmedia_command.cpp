#include "bootmedia/bootmedia_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bootmedia/bootmedia_options.hpp"
#include "bootmedia/error.hpp"
#include "bootmedia/file_io.hpp"
#include "bootmedia/initramfs_builder.hpp"
#include "bootmedia/kernel_source.hpp"
#include "bootmedia/zstd_compress.hpp"

namespace castline::bootmedia {
namespace fs = std::filesystem;
namespace {

constexpr const char* usage =
    "usage: castline bootmedia build --output DIR [--kernel-deb FILE] [--imager PATH]\n"
    "                                [--modules LIST|+LIST] [--cache DIR]\n"
    "  writes DIR/vmlinuz and DIR/initramfs, the imaging boot media castlined serves\n";

constexpr std::size_t size_limit = 16u << 20;  // what one PXE boot should have to fetch

// Measured on the default media: level 12 compresses in under 2 s to within 15 % of level 19,
// which takes 10 times as long; higher levels do not pay for themselves.
constexpr int zstd_level = 12;

fs::path default_cache() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/')
        return fs::path(xdg) / "castline/bootmedia";
    if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/')
        return fs::path(home) / ".cache/castline/bootmedia";
    return "/var/cache/castline/bootmedia";
}

// castline-imager sits beside castline in a build's bin/ and in an install's bin/.
fs::path default_imager() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return (ec ? fs::path(".") : self.parent_path()) / "castline-imager";
}

std::uint32_t timestamp_from_environment() {
    const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
    if (epoch == nullptr || *epoch == '\0') return 0;
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(epoch, &end, 10);
    if (errno != 0 || *end != '\0' || *epoch == '-' || value > 0xffffffffull)
        throw BootmediaError("SOURCE_DATE_EPOCH is not a number of seconds: '" +
                             std::string(epoch) + "'");
    return static_cast<std::uint32_t>(value);
}

double mib(std::size_t bytes) {
    return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

int build(const BuildOptions& options) {
    const std::uint32_t mtime = timestamp_from_environment();
    const fs::path imager = options.imager.value_or(default_imager());
    const fs::path busybox = "/bin/busybox";
    const fs::path mtools = "/usr/bin/mtools";
    // Checked before the kernel is fetched and unpacked, which takes a while.
    if (!fs::is_regular_file(imager))
        throw BootmediaError("castline-imager not found at " + imager.string() +
                             " (build it, or give --imager PATH)");
    if (!fs::is_regular_file(busybox))
        throw BootmediaError("busybox not found at /bin/busybox (install busybox-static)");
    if (!fs::is_regular_file(mtools))
        throw BootmediaError(
            "mtools not found at /usr/bin/mtools (install mtools; post-config "
            "writes FAT partitions with it)");
    fs::path deb;
    if (options.kernel_deb) {
        deb = *options.kernel_deb;
    } else {
        deb = download_kernel_deb(options.cache);
    }
    std::printf("kernel package: %s\n", deb.string().c_str());

    const UnpackedKernel kernel = unpacked_kernel(deb, options.cache);
    const ModuleGraph graph = read_module_graph(kernel.modules_dir, options.modules);
    InitramfsInputs inputs;
    inputs.kernel_version = kernel.version;
    inputs.modules_dir = kernel.modules_dir;
    inputs.modules = graph.load_order(options.modules);
    inputs.busybox = busybox;
    inputs.imager = imager;
    inputs.mtools = mtools;
    inputs.mtime = mtime;

    const CpioWriter cpio = assemble_initramfs(inputs);
    const std::string archive = cpio.finish();
    const std::string initramfs = zstd_compress(archive, zstd_level);
    const std::string vmlinuz = read_file(kernel.vmlinuz);

    std::error_code ec;
    fs::create_directories(options.output, ec);
    if (ec) throw BootmediaError("cannot create " + options.output.string() + ": " + ec.message());
    write_file_atomically(options.output / "vmlinuz", vmlinuz);
    write_file_atomically(options.output / "initramfs", initramfs);

    std::printf("kernel: %s, %zu modules (%zu requested)\n", kernel.version.c_str(),
                inputs.modules.size(), options.modules.size());
    std::printf("vmlinuz: %zu bytes (%.1f MiB)\n", vmlinuz.size(), mib(vmlinuz.size()));
    std::printf("initramfs: %zu bytes (%.1f MiB) zstd, %zu entries, %.1f MiB unpacked\n",
                initramfs.size(), mib(initramfs.size()), cpio.size(), mib(archive.size()));
    if (initramfs.size() > size_limit)
        std::fprintf(stderr, "castline bootmedia: warning: the initramfs is over 16 MiB\n");
    std::printf("wrote %s/vmlinuz and %s/initramfs\n", options.output.string().c_str(),
                options.output.string().c_str());
    return 0;
}

}  // namespace

int bootmedia_command(std::span<char*> args) {
    if (args.empty() || std::string_view(args[0]) != "build") {
        std::fputs(usage, stderr);
        return 2;
    }
    std::vector<std::string_view> rest(args.begin() + 1, args.end());
    if (rest.size() == 1 && (rest[0] == "--help" || rest[0] == "-h")) {
        std::fputs(usage, stdout);
        return 0;
    }
    BuildOptions options;
    try {
        options = parse_build_options(rest, default_cache());
    } catch (const BootmediaError& e) {
        std::fprintf(stderr, "castline bootmedia: %s\n%s", e.what(), usage);
        return 2;
    }
    try {
        return build(options);
    } catch (const BootmediaError& e) {
        std::fprintf(stderr, "castline bootmedia: %s\n", e.what());
    } catch (const fs::filesystem_error& e) {
        std::fprintf(stderr, "castline bootmedia: %s\n", e.what());
    }
    return 1;
}

}  // namespace castline::bootmedia
