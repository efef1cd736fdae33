#pragma once
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace castline::bootmedia {

// One kernel module: its name ("virtio_net"), its path relative to lib/modules/VERSION
// ("kernel/drivers/net/virtio_net.ko") and the modules it needs loaded first.
struct KernelModule {
    std::string name;
    std::string path;
    std::vector<std::string> depends;  // names
    // "softdep=pre:" names: loaded first when this kernel has a module of that name (r8169 wants
    // its PHY driver, realtek). Names that are only aliases (crct10dif) are not resolved.
    std::vector<std::string> soft_pre = {};
};

// Module names compare with '-' and '_' as the same character, as the kernel does.
std::string normalize_module_name(std::string_view name);

// The module name a path stands for: "kernel/block/t10-pi.ko" -> "t10_pi".
std::string module_name_from_path(std::string_view path);

// The modules of one kernel and their dependencies.
class ModuleGraph {
  public:
    // Throws BootmediaError when two modules share a name.
    void add(KernelModule module);
    const KernelModule* find(std::string_view name) const;
    std::size_t size() const { return modules_.size(); }

    // Every module in `requested` and everything they depend on (soft "pre" dependencies too, when
    // the graph has them), each once, in an order that
    // loads dependencies first; requested modules keep their order where dependencies allow.
    // Throws BootmediaError naming every requested or needed module the graph does not have.
    std::vector<const KernelModule*> load_order(std::span<const std::string> requested) const;

  private:
    std::map<std::string, KernelModule, std::less<>> modules_;
};

// Parses depmod's modules.dep ("kernel/a.ko: kernel/b.ko kernel/c.ko" per line).
// Throws BootmediaError with the line number on a malformed line.
ModuleGraph parse_modules_dep(std::string_view text);

// modules.dep for just these modules (as load_order returns them), so that modprobe works
// inside the initramfs: each line lists a module's whole dependency closure, the one to load
// first last, as depmod writes it.
std::string format_modules_dep(std::span<const KernelModule* const> modules);

}  // namespace castline::bootmedia
