#include <doctest/doctest.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "bootmedia/bootmedia_options.hpp"
#include "bootmedia/error.hpp"

using namespace castline::bootmedia;

namespace {
BuildOptions parse(std::vector<std::string_view> args) {
    return parse_build_options(args, "/default/cache");
}
bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}
}  // namespace

TEST_CASE("only --output is required; the rest has defaults") {
    const BuildOptions o = parse({"--output", "media"});
    CHECK(o.output == "media");
    CHECK(o.cache == "/default/cache");
    CHECK_FALSE(o.kernel_deb.has_value());
    CHECK_FALSE(o.imager.has_value());
    for (const char* m : {"virtio_net", "e1000", "e1000e", "igb", "ixgbe", "r8169", "tg3",
                          "bnxt_en", "i40e", "virtio_blk", "virtio_scsi", "sd_mod", "ahci", "nvme"})
        CHECK_MESSAGE(has(o.modules, m), m);
}

TEST_CASE("every option") {
    const BuildOptions o = parse({"--kernel-deb", "k.deb", "--imager", "bin/img", "--cache", "c",
                                  "--output", "out", "--modules", "e1000,vfat"});
    CHECK(o.kernel_deb == "k.deb");
    CHECK(o.imager == "bin/img");
    CHECK(o.cache == "c");
    CHECK(o.modules == std::vector<std::string>{"e1000", "vfat"});
}

TEST_CASE("--modules +LIST adds to the defaults") {
    const BuildOptions o = parse({"--output", "o", "--modules", "+vfat,e1000"});
    CHECK(has(o.modules, "vfat"));
    CHECK(has(o.modules, "nvme"));
    CHECK(std::count(o.modules.begin(), o.modules.end(), "e1000") == 1);
}

TEST_CASE("bad options are named") {
    CHECK_THROWS_WITH_AS(parse({}), "--output DIR is required", BootmediaError);
    CHECK_THROWS_WITH_AS(parse({"--output"}), "--output needs a value", BootmediaError);
    CHECK_THROWS_WITH_AS(parse({"--output", "o", "--kernel"}), "unknown option '--kernel'",
                         BootmediaError);
    CHECK_THROWS_WITH_AS(parse({"--output", "o", "--modules", "a,,b"}),
                         "empty module name in --modules", BootmediaError);
    CHECK_THROWS_AS(parse({"--output", "o", "--modules", "+"}), BootmediaError);
}
