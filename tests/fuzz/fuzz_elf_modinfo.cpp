// Any bytes as a kernel module (castline-bootmedia reads the modules of the kernel package it is
// given): the .modinfo section is found inside the file or the file is refused with
// BootmediaError; the section's fields and dependencies parse whatever they hold.
#include <cstdint>
#include <string_view>

#include "bootmedia/elf_modinfo.hpp"
#include "bootmedia/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::bootmedia;
    const std::string_view elf(reinterpret_cast<const char*>(data), size);
    std::string_view section = elf;  // the bytes themselves as a section, when no ELF is found
    try {
        if (const auto found = elf_section(elf, ".modinfo")) {
            if (found->data() != nullptr &&
                (found->data() < elf.data() || found->data() + found->size() > elf.data() + size))
                __builtin_trap();
            section = *found;
        }
    } catch (const BootmediaError&) {
    }
    for (const auto& [key, value] : parse_modinfo(section))
        if (key.empty()) __builtin_trap();
    const auto deps = modinfo_dependencies(section);
    for (const auto& d : deps.depends)
        if (d.empty() || d.find(',') != std::string::npos) __builtin_trap();
    for (const auto& d : deps.soft_pre)
        if (d.empty() || d.find(' ') != std::string::npos) __builtin_trap();
    return 0;
}
