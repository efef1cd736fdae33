// The kernel, initramfs and loaders a config serves: each one missing from boot.root is a warning.
#include <doctest/doctest.h>

#include "config/served_files.hpp"
#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

namespace {
const std::string site =
    "version: 1\n"
    "server: {interfaces: [lab0]}\n"
    "boot:\n"
    "  root: boot\n"
    "  kernel: imaging/vmlinuz\n"
    "  loaders: {bios: ipxe/undionly.kpxe}\n"
    "groups:\n"
    "  arm: {loaders: {efi_arm64: ipxe/arm64.efi}}\n";

std::vector<std::string> warned_keys(const LoadResult& result) {
    std::vector<std::string> keys;
    for (const auto& w : result.warnings) keys.push_back(w.key_path);
    return keys;
}
}  // namespace

TEST_CASE("each file the config serves that boot.root lacks is a warning at the key naming it") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "boot");
    const auto result = load_file(dir.write("site.yaml", site));
    INFO(all_text(result.warnings));
    REQUIRE(result.ok());
    CHECK(warned_keys(result) ==
          std::vector<std::string>{"boot.initramfs", "boot.kernel", "boot.loaders.bios",
                                   "boot.loaders.efi_x64", "boot.loaders.efi_arm64",
                                   "boot.loaders.efi_x64_http", "groups.arm.loaders.efi_arm64"});
    REQUIRE(result.warnings.size() == 7);
    // A key left at its default is reported at boot.root.
    CHECK(result.warnings[0].location.line == 4);
    const auto& kernel = result.warnings[1];
    CHECK(kernel.location.line == 5);
    CHECK(kernel.location.column == 11);
    CHECK(kernel.to_string().find(": warning: boot.kernel: \"imaging/vmlinuz\" is not a file in "
                                  "boot.root") != std::string::npos);
    CHECK(kernel.message.find("castline bootmedia build") != std::string::npos);
}

TEST_CASE("files that are there are not warned about") {
    TempDir dir;
    for (const auto* file : {"boot/imaging/vmlinuz", "boot/initramfs", "boot/ipxe/undionly.kpxe",
                             "boot/snponly.efi", "boot/ipxe-arm64.efi", "boot/ipxe.efi"})
        dir.write(file, "x");
    const auto result = load_file(dir.write("site.yaml", site));
    INFO(all_text(result.warnings));
    CHECK(warned_keys(result) == std::vector<std::string>{"groups.arm.loaders.efi_arm64"});
    dir.write("boot/ipxe/arm64.efi", "x");
    CHECK(load_file(dir.path() / "site.yaml").warnings.empty());
}

TEST_CASE("without boot.root only boot.root is warned about; with TFTP and HTTP off nothing") {
    TempDir dir;
    CHECK(warned_keys(load_file(dir.write("site.yaml", site))) ==
          std::vector<std::string>{"boot.root"});
    std::filesystem::create_directories(dir.path() / "boot");
    const auto silent =
        load_file(dir.write("silent.yaml",
                            "version: 1\nserver: {interfaces: [lab0]}\ndhcp: {mode: off}\n"
                            "boot: {root: boot, tftp_port: 0, http_port: 0}\n"));
    CHECK(silent.warnings.empty());
    CHECK(served_files(*silent.config).empty());
}
