#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "bootmedia/module_graph.hpp"

namespace castline::bootmedia {

// The .deb of the kernel that linux-image-amd64 currently stands for, from `cache` if it is
// already there, else fetched into it with `apt-get download` (nothing is installed).
std::filesystem::path download_kernel_deb(const std::filesystem::path& cache);

// A kernel package unpacked with `dpkg-deb -x`.
struct UnpackedKernel {
    std::string version;                // "6.1.0-56-amd64"
    std::filesystem::path vmlinuz;      // boot/vmlinuz-VERSION
    std::filesystem::path modules_dir;  // lib/modules/VERSION
};

// Unpacks `deb` into `into` (an empty directory). Throws BootmediaError when the file is not a
// package or holds no kernel (e.g. the linux-image-amd64 metapackage itself).
UnpackedKernel unpack_kernel_deb(const std::filesystem::path& deb,
                                 const std::filesystem::path& into);

// The kernel of `deb` unpacked under cache/unpacked/, unpacking it there first if no earlier
// build did: unpacking the 4000 modules (400 MB) takes longer than all the rest of a build.
// The cache entry is keyed by the package's file name and size, and appears whole or not at all.
UnpackedKernel unpacked_kernel(const std::filesystem::path& deb,
                               const std::filesystem::path& cache);

// The modules of an unpacked kernel that `requested` needs: all of them from its modules.dep
// when it ships one, else the requested ones and their dependencies from the `depends=` entries
// of each module's .modinfo (what depmod would write; Debian's packages ship no modules.dep).
// Only the modules reached are read, not the kernel's 4000.
ModuleGraph read_module_graph(const std::filesystem::path& modules_dir,
                              const std::vector<std::string>& requested);

}  // namespace castline::bootmedia
