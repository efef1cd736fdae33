#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bootmedia/elf_modinfo.hpp"
#include "bootmedia/error.hpp"

using namespace castline::bootmedia;

namespace {

void put(std::string& out, std::size_t at, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

struct Section {
    std::string name;
    std::string data;
};

// A minimal 64-bit little-endian relocatable ELF with the given sections, laid out as the
// kernel's modules are: header, section contents, then the section header table.
std::string make_elf(const std::vector<Section>& sections) {
    std::string names(1, '\0');
    std::vector<std::uint32_t> name_offsets;
    for (const auto& s : sections) {
        name_offsets.push_back(static_cast<std::uint32_t>(names.size()));
        names += s.name + '\0';
    }
    const std::uint32_t shstrtab_name = static_cast<std::uint32_t>(names.size());
    names += std::string(".shstrtab") + '\0';

    std::string elf(64, '\0');
    elf.replace(0, 4,
                "\x7f"
                "ELF");
    elf[4] = 2;  // ELFCLASS64
    elf[5] = 1;  // little endian
    elf[6] = 1;
    std::vector<std::uint64_t> offsets;
    for (const auto& s : sections) {
        offsets.push_back(elf.size());
        elf += s.data;
    }
    const std::uint64_t names_offset = elf.size();
    elf += names;
    while (elf.size() % 8) elf.push_back('\0');
    const std::uint64_t table = elf.size();
    const std::size_t count = sections.size() + 2;  // null section, sections, .shstrtab
    elf.append(count * 64, '\0');
    auto header = [&](std::size_t index, std::uint32_t name, std::uint32_t type,
                      std::uint64_t offset, std::uint64_t size) {
        const std::size_t at = table + index * 64;
        put(elf, at, name, 4);
        put(elf, at + 4, type, 4);
        put(elf, at + 24, offset, 8);
        put(elf, at + 32, size, 8);
    };
    for (std::size_t i = 0; i < sections.size(); ++i)
        header(i + 1, name_offsets[i], 1, offsets[i], sections[i].data.size());
    header(count - 1, shstrtab_name, 3, names_offset, names.size());
    put(elf, 0x28, table, 8);
    put(elf, 0x3a, 64, 2);
    put(elf, 0x3c, count, 2);
    put(elf, 0x3e, count - 1, 2);
    return elf;
}

constexpr char modinfo_bytes[] =
    "license=GPL\0\0\0depends=virtio_ring,virtio,net_failover\0"
    "alias=virtio:d00000001v*\0alias=second\0name=virtio_net";
const std::string modinfo(modinfo_bytes, sizeof modinfo_bytes);  // with the final NUL

}  // namespace

TEST_CASE("the .modinfo section of a module is found by name") {
    const std::string elf = make_elf({{".text", "code"}, {".modinfo", modinfo}, {".data", "d"}});
    const auto section = elf_section(elf, ".modinfo");
    REQUIRE(section.has_value());
    CHECK(*section == modinfo);
    CHECK(elf_section(elf, ".text") == "code");
    CHECK_FALSE(elf_section(elf, ".modinfo.extra").has_value());
    CHECK_FALSE(elf_section(elf, ".mod").has_value());
}

TEST_CASE("modinfo fields; repeated keys keep the first value") {
    const auto fields = parse_modinfo(modinfo);
    CHECK(fields.at("depends") == "virtio_ring,virtio,net_failover");
    CHECK(fields.at("name") == "virtio_net");
    CHECK(fields.at("license") == "GPL");
    CHECK(fields.at("alias") == "virtio:d00000001v*");
    CHECK(parse_modinfo(std::string("depends=\0", 9)).at("depends").empty());
}

TEST_CASE("files that are not 64-bit little-endian ELF, or lie about their layout, are refused") {
    CHECK_THROWS_WITH_AS(elf_section("not an elf file at all, but long enough to have a header "
                                     "of sixty-four bytes",
                                     ".modinfo"),
                         "not an ELF file", BootmediaError);
    CHECK_THROWS_AS(elf_section("\x7f"
                                "ELF",
                                ".modinfo"),
                    BootmediaError);

    const std::string good = make_elf({{".modinfo", modinfo}});
    std::string elf32 = good;
    elf32[4] = 1;
    CHECK_THROWS_AS(elf_section(elf32, ".modinfo"), BootmediaError);

    std::string bad_table = good;
    put(bad_table, 0x28, 1u << 30, 8);  // section headers far past the end
    CHECK_THROWS_WITH_AS(elf_section(bad_table, ".modinfo"), "ELF header field outside the file",
                         BootmediaError);

    std::string bad_index = good;
    put(bad_index, 0x3e, 40, 2);
    CHECK_THROWS_AS(elf_section(bad_index, ".modinfo"), BootmediaError);

    // Every truncation is an error or a miss, never a read past the end (ASan watches).
    for (std::size_t size = 0; size < good.size(); ++size) {
        try {
            (void)elf_section(std::string_view(good).substr(0, size), ".modinfo");
        } catch (const BootmediaError&) {
        }
    }
}

TEST_CASE("hard and soft pre-dependencies from .modinfo") {
    const auto deps = modinfo_dependencies(std::string(
        "softdep=pre: realtek crc32c post: extra\0depends=mdio,libphy,,\0name=r8169\0", 73));
    CHECK(deps.depends == std::vector<std::string>{"mdio", "libphy"});
    CHECK(deps.soft_pre == std::vector<std::string>{"realtek", "crc32c"});
    const auto none = modinfo_dependencies(std::string("depends=\0", 9));
    CHECK(none.depends.empty());
    CHECK(none.soft_pre.empty());
    CHECK(modinfo_dependencies("softdep=post: x\0").soft_pre.empty());
}
