#include <doctest/doctest.h>

#include "pxe/boot_policy.hpp"
#include "site.hpp"

using namespace castline;
using namespace castline::pxe;

namespace {
const auto server = *Ipv4Address::parse("198.18.0.1");
const auto ws01 = *MacAddress::parse("52:54:00:00:00:01");
const auto ws02 = *MacAddress::parse("52:54:00:00:00:02");
const auto stranger = *MacAddress::parse("52:54:00:00:00:99");

BootDecision choose(const MacAddress& mac, std::optional<std::uint16_t> arch, bool ipxe = false,
                    config::SiteConfig config = test::site()) {
    return choose_boot_file({mac, arch, ipxe, false}, config, server);
}
}  // namespace

TEST_CASE("loader by client architecture") {
    auto d = choose(ws01, 0);
    REQUIRE(d.boot);
    CHECK(d.boot->file == "undionly.kpxe");
    CHECK(d.boot->bios);
    CHECK(choose(ws01, std::nullopt).boot->file == "undionly.kpxe");  // no 93: BIOS
    CHECK(choose(ws01, 7).boot->file == "snponly.efi");
    CHECK(choose(ws01, 9).boot->file == "snponly.efi");
    CHECK_FALSE(choose(ws01, 9).boot->bios);
    CHECK(choose(ws01, 11).boot->file == "ipxe-arm64.efi");
    d = choose(ws01, 16);
    CHECK(d.boot->file == "http://198.18.0.1:8080/ipxe.efi");
    CHECK(d.boot->url);
}

TEST_CASE("unknown architecture gets nothing, with a reason") {
    const auto d = choose(ws01, 2);
    CHECK_FALSE(d.boot);
    CHECK(d.reason == "no loader for client architecture 2");
}

TEST_CASE("group loaders override the defaults, host loaders override the group") {
    CHECK(choose(ws02, 9).boot->file == "ipxe.efi");
    auto c = test::site();
    c.hosts[1].loaders = config::LoaderSet{};
    c.hosts[1].loaders->efi_x64 = "custom/x64.efi";
    CHECK(choose(ws02, 7, false, c).boot->file == "custom/x64.efi");
    c.boot.loaders.efi_x64_http = "boot/x64.efi";
    CHECK(choose(ws01, 16, false, c).boot->file == "http://198.18.0.1:8080/boot/x64.efi");
}

TEST_CASE("a client already running iPXE gets its script, never a loader again") {
    for (int arch : {0, 7, 9, 11}) {
        const auto d = choose(ws01, static_cast<std::uint16_t>(arch), true);
        REQUIRE(d.boot);
        CHECK(d.boot->file == "http://198.18.0.1:8080/ipxe/52-54-00-00-00-01.ipxe");
        CHECK(d.boot->url);
    }
}

TEST_CASE("unknown hosts follow boot.unknown_hosts") {
    CHECK_FALSE(choose(stranger, 0).boot);
    auto c = test::site();
    c.boot.unknown_hosts = config::UnknownHostPolicy::local;
    CHECK(choose(stranger, 0, false, c).boot->file == "undionly.kpxe");
    c.boot.unknown_hosts = config::UnknownHostPolicy::group;
    CHECK(choose(stranger, 0, true, c).boot->file ==
          "http://198.18.0.1:8080/ipxe/52-54-00-00-00-99.ipxe");
}
