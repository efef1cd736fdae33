#include "bootmedia/kernel_source.hpp"

#include <map>
#include <optional>
#include <system_error>
#include <vector>

#include "bootmedia/elf_modinfo.hpp"
#include "bootmedia/error.hpp"
#include "bootmedia/file_io.hpp"
#include "bootmedia/kernel_package.hpp"
#include "bootmedia/subprocess.hpp"
#include "common/durable_file.hpp"

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
    if (auto error = rename_durably(fetched, cached)) throw BootmediaError(*error);
    return cached;
}

namespace {

UnpackedKernel find_kernel(const fs::path& deb, const fs::path& into) {
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

}  // namespace

UnpackedKernel unpack_kernel_deb(const fs::path& deb, const fs::path& into) {
    if (!fs::is_regular_file(deb))
        throw BootmediaError("kernel package not found: " + deb.string());
    const ProcessResult unpack =
        run_process({"dpkg-deb", "-x", deb.string(), into.string()}, {}, true);
    if (unpack.exit_code != 0)
        throw BootmediaError("cannot unpack the kernel package " + deb.string() + ":\n" +
                             unpack.output);
    return find_kernel(deb, into);
}

UnpackedKernel unpacked_kernel(const fs::path& deb, const fs::path& cache) {
    if (!fs::is_regular_file(deb))
        throw BootmediaError("kernel package not found: " + deb.string());
    const fs::path entry =
        cache / "unpacked" / (deb.stem().string() + "-" + std::to_string(fs::file_size(deb)));
    if (fs::is_directory(entry)) return find_kernel(deb, entry);
    TempDir work(cache / "unpacked", "unpack.");
    unpack_kernel_deb(deb, work.path());
    // A concurrent build may have put the same entry there first; theirs is as good.
    if (auto error = rename_durably(work.path(), entry); error && !fs::is_directory(entry))
        throw BootmediaError("cannot move the unpacked kernel into place: " + *error);
    return find_kernel(deb, entry);
}

namespace {

ModinfoDependencies module_dependencies(const fs::path& file) {
    const std::string bytes = read_file(file);
    std::optional<std::string_view> section;
    try {
        section = elf_section(bytes, ".modinfo");
    } catch (const BootmediaError& e) {
        throw BootmediaError(file.string() + ": " + e.what());
    }
    return section ? modinfo_dependencies(*section) : ModinfoDependencies{};
}

}  // namespace

ModuleGraph read_module_graph(const fs::path& modules_dir,
                              const std::vector<std::string>& requested) {
    const fs::path modules_dep = modules_dir / "modules.dep";
    if (fs::is_regular_file(modules_dep)) return parse_modules_dep(read_file(modules_dep));

    std::map<std::string, fs::path> by_name;
    for (const auto& entry : fs::recursive_directory_iterator(modules_dir)) {
        if (!entry.is_regular_file()) continue;
        const std::string file_name = entry.path().filename().string();
        if (file_name.find(".ko.") != std::string::npos)
            throw BootmediaError("compressed kernel module " + entry.path().string() +
                                 ": this kernel compresses its modules, which is not supported");
        if (!file_name.ends_with(".ko")) continue;
        const std::string name = module_name_from_path(file_name);
        const fs::path relative = fs::relative(entry.path(), modules_dir);
        const auto [it, added] = by_name.emplace(name, relative);
        if (!added)
            throw BootmediaError("two kernel modules are named " + name + ": " +
                                 it->second.string() + " and " + relative.string());
    }
    ModuleGraph graph;
    std::vector<std::string> pending;
    for (const auto& name : requested) pending.push_back(normalize_module_name(name));
    while (!pending.empty()) {
        const std::string name = pending.back();
        pending.pop_back();
        const auto it = by_name.find(name);
        if (it == by_name.end() || graph.find(name) != nullptr)
            continue;  // missing: load_order says
        ModinfoDependencies deps = module_dependencies(modules_dir / it->second);
        KernelModule module{name, it->second.string(), std::move(deps.depends),
                            std::move(deps.soft_pre)};
        for (const auto& dep : module.depends) pending.push_back(normalize_module_name(dep));
        for (const auto& dep : module.soft_pre) pending.push_back(normalize_module_name(dep));
        graph.add(std::move(module));
    }
    return graph;
}

}  // namespace castline::bootmedia
