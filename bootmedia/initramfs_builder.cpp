#include "bootmedia/initramfs_builder.hpp"

#include <set>

#include "bootmedia/embedded_scripts.hpp"
#include "bootmedia/error.hpp"
#include "bootmedia/file_io.hpp"
#include "bootmedia/ldd_output.hpp"
#include "bootmedia/subprocess.hpp"

namespace castline::bootmedia {
namespace fs = std::filesystem;
namespace {

void add_parents(CpioWriter& cpio, const std::string& path) {
    for (std::size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        const std::string parent = path.substr(0, slash);
        if (!cpio.contains(parent)) cpio.add_directory(parent);
    }
}

void add_file_with_parents(CpioWriter& cpio, const std::string& path, std::string contents,
                           std::uint32_t permissions) {
    add_parents(cpio, path);
    cpio.add_file(path, std::move(contents), permissions);
}

// The program without its debug sections: a RelWithDebInfo imager is mostly DWARF, which the
// initramfs has no use for. strip is deterministic, so this keeps the build reproducible.
std::string stripped_program(const fs::path& program) {
    TempDir temp(fs::temp_directory_path(), "castline-strip.");
    const fs::path out = temp.path() / "program";
    run_checked({"strip", "--strip-debug", "-o", out.string(), program.string()}, {}, true);
    return read_file(out);
}

std::vector<std::string> runtime_files(const fs::path& program) {
    const ProcessResult ldd = run_process({"ldd", program.string()}, {}, true);
    if (ldd.exit_code != 0 && ldd.output.find("not a dynamic executable") == std::string::npos)
        throw BootmediaError("ldd " + program.string() + " failed:\n" + ldd.output);
    return parse_ldd_output(ldd.output);
}

}  // namespace

CpioWriter assemble_initramfs(const InitramfsInputs& in) {
    CpioWriter cpio(in.mtime);
    for (const char* dir : {"bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "dev", "proc",
                            "sys", "run", "tmp", "root", "lib", "lib/modules"})
        cpio.add_directory(dir, std::string_view(dir) == "tmp" ? 01777 : 0755);
    // The kernel opens /dev/console for init's stdio before init can mount devtmpfs.
    cpio.add_char_device("dev/console", 5, 1);
    cpio.add_char_device("dev/null", 1, 3, 0666);

    cpio.add_file("init", std::string(init_script()), 0755);
    cpio.add_file("etc/udhcpc.script", std::string(udhcpc_script()), 0755);
    cpio.add_file("bin/busybox", read_file(in.busybox), 0755);
    cpio.add_symlink("bin/sh", "busybox");

    if (!fs::is_regular_file(in.imager))
        throw BootmediaError("castline-imager not found at " + in.imager.string() +
                             " (build it, or give --imager PATH)");
    cpio.add_file(initramfs_imager_path, stripped_program(in.imager), 0755);
    cpio.add_file("usr/bin/mtools", read_file(in.mtools), 0755);
    for (const char* name : {"mcopy", "mdir", "mmd", "mtype"})
        cpio.add_symlink(std::string("usr/bin/") + name, "mtools");
    std::set<std::string> libraries;
    for (const fs::path& program : {in.busybox, in.imager, in.mtools})
        for (const auto& file : runtime_files(program)) libraries.insert(file);
    for (const auto& library : libraries)
        add_file_with_parents(cpio, library.substr(1), read_file(library), 0755);

    const std::string modules_root = "lib/modules/" + in.kernel_version;
    cpio.add_directory(modules_root);
    std::string load_list;
    for (const KernelModule* module : in.modules) {
        add_file_with_parents(cpio, modules_root + "/" + module->path,
                              read_file(in.modules_dir / module->path), 0644);
        load_list += module->path + "\n";
    }
    cpio.add_file(modules_root + "/modules.dep", format_modules_dep(in.modules));
    cpio.add_file(modules_root + "/" + initramfs_load_list, load_list);
    return cpio;
}

}  // namespace castline::bootmedia
