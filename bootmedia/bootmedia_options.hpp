#pragma once
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace castline::bootmedia {

// The kernel modules every imaging initramfs carries: the NICs and disk controllers of real
// machines and of QEMU. The PCI transport of virtio is a module of its own that no driver
// depends on, so it is named here.
std::vector<std::string> default_modules();

struct BuildOptions {
    std::filesystem::path output;
    std::optional<std::filesystem::path> kernel_deb;  // else apt-get download into the cache
    std::optional<std::filesystem::path> imager;      // else castline-imager beside castline
    std::filesystem::path cache;
    std::vector<std::string> modules;
};

// Parses the arguments after `castline bootmedia build`. `--modules A,B` replaces the default
// list, `--modules +A,B` adds to it. Throws BootmediaError naming a bad or missing option.
BuildOptions parse_build_options(std::span<const std::string_view> args,
                                 const std::filesystem::path& default_cache);

}  // namespace castline::bootmedia
