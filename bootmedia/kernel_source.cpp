#include "bootmedia/kernel_source.hpp"

#include <algorithm>
#include <system_error>
#include <vector>

#include "bootmedia/elf_modinfo.hpp"
#include "bootmedia/error.hpp"
#include "bootmedia/file_io.hpp"
#include "bootmedia/kernel_package.hpp"
#include "bootmedia/subprocess.hpp"

namespace castline::bootmedia {
namespace fs = std::filesystem;

fs::path download_kernel_deb(const fs::path& cache) {
    const ProcessResult show =
        run_process({"apt-cache", "show", "--no-all-versions", "linux-image-amd64"});
    if (show.exit_code != 0 || show.output.empty())
        throw BootmediaError(
            "apt-cache knows no linux-image-amd64 package (run apt-get update, "
            "or give --kernel-deb FILE)");
    const PackageVersion kernel = kernel_package_from_control(show.output);
    const fs::path cached = cache / kernel.deb_file_name("amd64");
    if (fs::is_regular_file(cached)) return cached;

    // Downloaded into a fresh folder and moved in whole, so the cache never holds half a file.
    TempDir download(cache, "download.");
    run_checked({"apt-get", "download", "-q", kernel.name + "=" + kernel.version}, download.path(),
                true);
    const fs::path fetched = download.path() / cached.filename();
    if (!fs::is_regular_file(fetched))
        throw BootmediaError("apt-get download did not produce " + cached.filename().string());
    fs::rename(fetched, cached);
    return cached;
}

UnpackedKernel unpack_kernel_deb(const fs::path& deb, const fs::path& into) {
    if (!fs::is_regular_file(deb))
        throw BootmediaError("kernel package not found: " + deb.string());
    run_checked({"dpkg-deb", "-x", deb.string(), into.string()}, {}, true);
    std::vector<fs::path> versions;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(into / "lib/modules", ec))
        if (entry.is_directory()) versions.push_back(entry.path());
    if (versions.size() != 1)
        throw BootmediaError(deb.string() + " holds " + std::to_string(versions.size()) +
                             " kernel module trees, expected one (give the linux-image-VERSION "
                             "package, not the linux-image-amd64 metapackage)");
    UnpackedKernel kernel;
    kernel.modules_dir = versions.front();
    kernel.version = kernel.modules_dir.filename().string();
    kernel.vmlinuz = into / "boot" / ("vmlinuz-" + kernel.version);
    if (!fs::is_regular_file(kernel.vmlinuz))
        throw BootmediaError(deb.string() + " has no boot/vmlinuz-" + kernel.version);
    return kernel;
}

ModuleGraph read_module_graph(const fs::path& modules_dir) {
    const fs::path modules_dep = modules_dir / "modules.dep";
    if (fs::is_regular_file(modules_dep)) return parse_modules_dep(read_file(modules_dep));

    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(modules_dir)) {
        if (!entry.is_regular_file()) continue;
        const std::string name = entry.path().filename().string();
        if (name.ends_with(".ko")) {
            files.push_back(entry.path());
        } else if (name.find(".ko.") != std::string::npos) {
            throw BootmediaError("compressed kernel module " + entry.path().string() +
                                 ": this kernel compresses its modules, which is not supported");
        }
    }
    std::sort(files.begin(), files.end());
    ModuleGraph graph;
    for (const auto& file : files) {
        const std::string bytes = read_file(file);
        std::optional<std::string_view> section;
        try {
            section = elf_section(bytes, ".modinfo");
        } catch (const BootmediaError& e) {
            throw BootmediaError(file.string() + ": " + e.what());
        }
        KernelModule module;
        module.path = fs::relative(file, modules_dir).string();
        module.name = module_name_from_path(module.path);
        if (section) {
            const auto info = parse_modinfo(*section);
            const auto depends = info.find("depends");
            if (depends != info.end() && !depends->second.empty()) {
                std::size_t start = 0;
                const std::string& list = depends->second;
                while (start <= list.size()) {
                    std::size_t end = list.find(',', start);
                    if (end == std::string::npos) end = list.size();
                    if (end > start) module.depends.push_back(list.substr(start, end - start));
                    start = end + 1;
                }
            }
        }
        graph.add(std::move(module));
    }
    return graph;
}

}  // namespace castline::bootmedia
