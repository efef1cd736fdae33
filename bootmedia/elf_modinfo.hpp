#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace castline::bootmedia {

// The bytes of the section called `name` in a 64-bit little-endian ELF file (what x86-64
// kernel modules are), or nullopt when the file has no such section. Throws BootmediaError
// when the bytes are not such an ELF file or a header points outside them.
std::optional<std::string_view> elf_section(std::string_view elf, std::string_view name);

// The key=value strings of a module's .modinfo section. Keys that appear more than once
// (alias, parm) keep their first value; the callers need only depends and name.
std::map<std::string, std::string> parse_modinfo(std::string_view section);

// What a module needs loaded before it, from its .modinfo: `depends=a,b` (hard) and the
// "pre:" part of `softdep=pre: c d post: e`.
struct ModinfoDependencies {
    std::vector<std::string> depends;
    std::vector<std::string> soft_pre;
};
ModinfoDependencies modinfo_dependencies(std::string_view section);

}  // namespace castline::bootmedia
