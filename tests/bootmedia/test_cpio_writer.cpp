#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "bootmedia/cpio_writer.hpp"
#include "bootmedia/error.hpp"

using castline::bootmedia::BootmediaError;
using castline::bootmedia::CpioWriter;

namespace {

// One parsed newc header, read back the way the kernel's unpacker does.
struct Parsed {
    std::string name;
    unsigned ino, mode, uid, gid, nlink, mtime, size, rdev_major, rdev_minor;
    std::string data;
};

unsigned hex_field(const std::string& archive, std::size_t at, int index) {
    return static_cast<unsigned>(std::stoul(archive.substr(at + 6 + 8 * index, 8), nullptr, 16));
}

std::size_t align4(std::size_t n) {
    return (n + 3) & ~std::size_t{3};
}

std::vector<Parsed> parse(const std::string& archive) {
    std::vector<Parsed> entries;
    std::size_t at = 0;
    for (;;) {
        REQUIRE(at + 110 <= archive.size());
        REQUIRE(archive.substr(at, 6) == "070701");
        Parsed p;
        p.ino = hex_field(archive, at, 0);
        p.mode = hex_field(archive, at, 1);
        p.uid = hex_field(archive, at, 2);
        p.gid = hex_field(archive, at, 3);
        p.nlink = hex_field(archive, at, 4);
        p.mtime = hex_field(archive, at, 5);
        p.size = hex_field(archive, at, 6);
        p.rdev_major = hex_field(archive, at, 9);
        p.rdev_minor = hex_field(archive, at, 10);
        const unsigned namesize = hex_field(archive, at, 11);
        p.name = archive.substr(at + 110, namesize - 1);
        CHECK(archive[at + 110 + namesize - 1] == '\0');
        at = align4(at + 110 + namesize);
        p.data = archive.substr(at, p.size);
        at = align4(at + p.size);
        if (p.name == "TRAILER!!!") {
            CHECK(at == archive.size());
            return entries;
        }
        entries.push_back(p);
    }
}

}  // namespace

TEST_CASE("entries come out sorted with inodes counted in that order, whatever the add order") {
    CpioWriter a(1234);
    a.add_file("bin/sh", "x", 0755);
    a.add_directory("bin");
    a.add_file("init", "#!/bin/sh\n", 0755);
    CpioWriter b(1234);
    b.add_file("init", "#!/bin/sh\n", 0755);
    b.add_directory("bin");
    b.add_file("bin/sh", "x", 0755);
    const std::string archive = a.finish();
    CHECK(archive == b.finish());
    CHECK(archive.size() % 4 == 0);

    const auto entries = parse(archive);
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].name == "bin");
    CHECK(entries[1].name == "bin/sh");
    CHECK(entries[2].name == "init");
    for (unsigned i = 0; i < entries.size(); ++i) {
        CHECK(entries[i].ino == i + 1);
        CHECK(entries[i].uid == 0);
        CHECK(entries[i].gid == 0);
        CHECK(entries[i].mtime == 1234);
    }
    CHECK(entries[0].mode == 040755);
    CHECK(entries[0].nlink == 2);
    CHECK(entries[2].mode == 0100755);
    CHECK(entries[2].data == "#!/bin/sh\n");
    CHECK(entries[2].size == 10);
}

TEST_CASE("symlinks carry their target, device nodes their numbers") {
    CpioWriter w;
    w.add_directory("dev");
    w.add_char_device("dev/console", 5, 1);
    w.add_symlink("sh", "busybox");
    const auto entries = parse(w.finish());
    REQUIRE(entries.size() == 3);
    CHECK(entries[1].name == "dev/console");
    CHECK(entries[1].mode == 020600);
    CHECK(entries[1].rdev_major == 5);
    CHECK(entries[1].rdev_minor == 1);
    CHECK(entries[1].size == 0);
    CHECK(entries[2].mode == 0120777);
    CHECK(entries[2].data == "busybox");
}

TEST_CASE("padding keeps every header and every file on a 4-byte boundary") {
    for (std::size_t name_length = 1; name_length <= 5; ++name_length) {
        for (std::size_t data_length = 0; data_length <= 5; ++data_length) {
            CpioWriter w;
            w.add_file(std::string(name_length, 'n'), std::string(data_length, 'd'));
            w.add_file("z", "last");
            const auto entries = parse(w.finish());
            REQUIRE(entries.size() == 2);
            CHECK(entries[0].data == std::string(data_length, 'd'));
            CHECK(entries[1].data == "last");
        }
    }
}

TEST_CASE("an empty archive is just the trailer") {
    const std::string archive = CpioWriter().finish();
    CHECK(archive.size() == 124);  // 110 + "TRAILER!!!\0" (11) padded to 124
    CHECK(parse(archive).empty());
}

TEST_CASE("bad paths and duplicates are refused by name") {
    CpioWriter w;
    w.add_file("etc/x", "");
    CHECK_THROWS_WITH_AS(w.add_file("etc/x", "again"), "path added twice to the initramfs: etc/x",
                         BootmediaError);
    for (const char* bad : {"", "/abs", "a/../b", "a//b", "dir/", "./a", ".."})
        CHECK_THROWS_AS_MESSAGE(w.add_file(bad, ""), BootmediaError, bad);
    CHECK_THROWS_AS(w.add_symlink("l", ""), BootmediaError);
}
