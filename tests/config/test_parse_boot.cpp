#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

TEST_CASE("boot with every key") {
    const auto result = load_string(
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\ngroups: {new: "
        "{}}\nboot:\n  root: .\n  "
        "tftp_port: 1069\n"
        "  http_port: 0\n  tftp: {max_blksize: 8192, max_windowsize: 8, timeout: 500ms, retries: "
        "3}\n"
        "  http: {idle_timeout: 5s, send_timeout: 1m, max_connections_per_client: 4}\n"
        "  loaders: {bios: ipxe/undionly.kpxe, efi_x64_http: \"http://198.18.0.1:8080/ipxe.efi\"}\n"
        "  unknown_hosts: group\n  unknown_hosts_group: new\n  kernel: k\n  initramfs: i\n"
        "  kernel_args: quiet\n",
        "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& b = result.config->boot;
    CHECK(b.tftp_port == 1069);
    CHECK(b.http_port == 0);
    CHECK(b.tftp.max_blksize == 8192);
    CHECK(b.tftp.timeout == std::chrono::milliseconds(500));
    CHECK(b.http.idle_timeout == std::chrono::seconds(5));
    CHECK(b.http.send_timeout == std::chrono::seconds(60));
    CHECK(b.http.max_connections_per_client == 4);
    CHECK(b.loaders.bios == "ipxe/undionly.kpxe");
    CHECK(b.loaders.efi_x64 == "snponly.efi");
    CHECK(b.loaders.efi_x64_http == "http://198.18.0.1:8080/ipxe.efi");
    CHECK(b.unknown_hosts == UnknownHostPolicy::group);
    CHECK(b.kernel_args == "quiet");
}

TEST_CASE("a loader outside boot.root and a TFTP timeout out of range") {
    const std::string head =
        "version: 1\nserver: {interfaces: [lab0], data_dir: /var/lib/castline}\nboot:\n  root: .\n";
    require_single_error(load_string(head + "  loaders: {bios: ../../etc/shadow}\n", "site.yaml"),
                         "site.yaml", 5, 19, "boot.loaders.bios", "is not a file inside boot.root");
    require_single_error(load_string(head + "  tftp: {timeout: 10ms}\n", "site.yaml"), "site.yaml",
                         5, 19, "boot.tftp.timeout",
                         "\"10ms\" is out of range, expected 100ms to 1m");
    require_single_error(
        load_string(head + "  http: {max_connections_per_client: 0}\n", "site.yaml"), "site.yaml",
        5, 38, "boot.http.max_connections_per_client", "out of range");
}
