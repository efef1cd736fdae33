#include "bootmedia/bootmedia_options.hpp"

#include <algorithm>

#include "bootmedia/error.hpp"

namespace castline::bootmedia {
namespace {

std::vector<std::string> split_list(std::string_view list, std::string_view option) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t end = list.find(',', start);
        if (end == std::string_view::npos) end = list.size();
        const std::string_view item = list.substr(start, end - start);
        if (item.empty()) throw BootmediaError("empty module name in " + std::string(option));
        items.emplace_back(item);
        start = end + 1;
    }
    return items;
}

}  // namespace

std::vector<std::string> default_modules() {
    return {// network, virtio first so that QEMU's virtio NIC comes up as eth0
            "virtio_pci", "virtio_net", "e1000", "e1000e", "igb", "ixgbe", "r8169", "tg3",
            "bnxt_en", "i40e",
            // disks
            "virtio_blk", "virtio_scsi", "sd_mod", "ahci", "nvme"};
}

BuildOptions parse_build_options(std::span<const std::string_view> args,
                                 const std::filesystem::path& default_cache) {
    BuildOptions options;
    options.cache = default_cache;
    options.modules = default_modules();
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view option = args[i];
        const bool known = option == "--output" || option == "--kernel-deb" ||
                           option == "--imager" || option == "--modules" || option == "--cache";
        if (!known) throw BootmediaError("unknown option '" + std::string(option) + "'");
        if (i + 1 >= args.size() || args[i + 1].empty())
            throw BootmediaError(std::string(option) + " needs a value");
        const std::string_view value = args[++i];
        if (option == "--output") {
            options.output = value;
        } else if (option == "--kernel-deb") {
            options.kernel_deb = value;
        } else if (option == "--imager") {
            options.imager = value;
        } else if (option == "--cache") {
            options.cache = value;
        } else if (value.front() == '+') {
            for (auto& m : split_list(value.substr(1), option))
                if (std::find(options.modules.begin(), options.modules.end(), m) ==
                    options.modules.end())
                    options.modules.push_back(std::move(m));
        } else {
            options.modules = split_list(value, option);
        }
    }
    if (options.output.empty()) throw BootmediaError("--output DIR is required");
    return options;
}

}  // namespace castline::bootmedia
