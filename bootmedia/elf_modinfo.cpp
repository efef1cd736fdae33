#include "bootmedia/elf_modinfo.hpp"

#include <cstdint>
#include <cstring>

#include "bootmedia/error.hpp"

namespace castline::bootmedia {
namespace {

template <typename T>
T read_le(std::string_view bytes, std::uint64_t offset) {
    if (offset > bytes.size() || bytes.size() - offset < sizeof(T))
        throw BootmediaError("ELF header field outside the file");
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        value |= static_cast<T>(static_cast<T>(static_cast<unsigned char>(bytes[offset + i]))
                                << (8 * i));
    return value;
}

struct SectionHeader {
    std::uint32_t name;
    std::uint64_t offset;
    std::uint64_t size;
    std::uint32_t type;
};

constexpr std::uint32_t sht_nobits = 8;

SectionHeader section_header(std::string_view elf, std::uint64_t table, std::uint16_t entsize,
                             std::uint32_t index) {
    const std::uint64_t at = table + std::uint64_t{index} * entsize;
    return SectionHeader{read_le<std::uint32_t>(elf, at), read_le<std::uint64_t>(elf, at + 24),
                         read_le<std::uint64_t>(elf, at + 32), read_le<std::uint32_t>(elf, at + 4)};
}

std::string_view section_bytes(std::string_view elf, const SectionHeader& s) {
    if (s.type == sht_nobits) return {};
    if (s.offset > elf.size() || elf.size() - s.offset < s.size)
        throw BootmediaError("ELF section outside the file");
    return elf.substr(s.offset, s.size);
}

}  // namespace

std::optional<std::string_view> elf_section(std::string_view elf, std::string_view name) {
    if (elf.size() < 64 || std::memcmp(elf.data(),
                                       "\x7f"
                                       "ELF",
                                       4) != 0)
        throw BootmediaError("not an ELF file");
    if (elf[4] != 2 || elf[5] != 1) throw BootmediaError("not a 64-bit little-endian ELF file");
    const auto table = read_le<std::uint64_t>(elf, 0x28);
    const auto entsize = read_le<std::uint16_t>(elf, 0x3a);
    const auto count = read_le<std::uint16_t>(elf, 0x3c);
    const auto names_index = read_le<std::uint16_t>(elf, 0x3e);
    if (count == 0) return std::nullopt;
    if (entsize < 64) throw BootmediaError("ELF section header entries too small");
    if (names_index >= count) throw BootmediaError("ELF section name table index out of range");
    const std::string_view names =
        section_bytes(elf, section_header(elf, table, entsize, names_index));
    for (std::uint32_t i = 0; i < count; ++i) {
        const SectionHeader s = section_header(elf, table, entsize, i);
        if (s.name >= names.size()) throw BootmediaError("ELF section name outside the name table");
        const std::string_view rest = names.substr(s.name);
        const std::string_view section_name = rest.substr(0, rest.find('\0'));
        if (section_name == name) return section_bytes(elf, s);
    }
    return std::nullopt;
}

std::map<std::string, std::string> parse_modinfo(std::string_view section) {
    std::map<std::string, std::string> fields;
    std::size_t start = 0;
    while (start < section.size()) {
        std::size_t end = section.find('\0', start);
        if (end == std::string_view::npos) end = section.size();
        const std::string_view entry = section.substr(start, end - start);
        start = end + 1;
        const std::size_t eq = entry.find('=');
        if (eq == std::string_view::npos || eq == 0) continue;  // alignment padding
        fields.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    return fields;
}

ModinfoDependencies modinfo_dependencies(std::string_view section) {
    ModinfoDependencies result;
    const auto fields = parse_modinfo(section);
    if (const auto it = fields.find("depends"); it != fields.end()) {
        const std::string& list = it->second;
        std::size_t start = 0;
        while (start <= list.size()) {
            std::size_t end = list.find(',', start);
            if (end == std::string::npos) end = list.size();
            if (end > start) result.depends.push_back(list.substr(start, end - start));
            start = end + 1;
        }
    }
    if (const auto it = fields.find("softdep"); it != fields.end()) {
        bool in_pre = false;
        std::size_t start = 0;
        const std::string& text = it->second;
        while (start < text.size()) {
            const std::size_t word_start = text.find_first_not_of(' ', start);
            if (word_start == std::string::npos) break;
            std::size_t end = text.find(' ', word_start);
            if (end == std::string::npos) end = text.size();
            const std::string word = text.substr(word_start, end - word_start);
            start = end;
            if (word.ends_with(':')) {
                in_pre = word == "pre:";
            } else if (in_pre) {
                result.soft_pre.push_back(word);
            }
        }
    }
    return result;
}

}  // namespace castline::bootmedia
