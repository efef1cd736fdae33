#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bootmedia/cpio_writer.hpp"
#include "bootmedia/module_graph.hpp"

namespace castline::bootmedia {

struct InitramfsInputs {
    std::string kernel_version;
    std::filesystem::path modules_dir;         // lib/modules/VERSION of the unpacked kernel
    std::vector<const KernelModule*> modules;  // in load order
    std::filesystem::path busybox;             // a static busybox
    std::filesystem::path imager;              // castline-imager
    std::filesystem::path mtools;              // writes post-config files into FAT partitions
    std::uint32_t mtime = 0;
};

// Lays out the imaging initramfs: /init and the udhcpc script, busybox, castline-imager, mtools
// (with the command names post-config runs) and every shared library they link (found with ldd;
// debug sections stripped), the modules with their modules.dep and load order, and the few
// directories and device nodes the kernel and the init expect before devtmpfs is mounted.
CpioWriter assemble_initramfs(const InitramfsInputs& inputs);

// Where things are inside the initramfs; the init script uses the same paths.
inline constexpr const char* initramfs_imager_path = "bin/castline-imager";
inline constexpr const char* initramfs_load_list = "castline.load";  // in lib/modules/VERSION

}  // namespace castline::bootmedia
