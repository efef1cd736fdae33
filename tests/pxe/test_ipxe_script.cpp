#include <doctest/doctest.h>

#include "pxe/ipxe_script.hpp"
#include "site.hpp"

using namespace castline;
using namespace castline::pxe;

namespace {
const ScriptContext context{*Ipv4Address::parse("198.18.0.1"), 8080, "tok123"};
const ScriptContext no_job{*Ipv4Address::parse("198.18.0.1"), 8080, ""};
const auto ws01 = *MacAddress::parse("52:54:00:00:00:01");
const auto ws02 = *MacAddress::parse("52:54:00:00:00:02");
const auto stranger = *MacAddress::parse("52:54:00:00:00:99");
}  // namespace

TEST_CASE("a host to image gets kernel, initramfs and a command line with server and token") {
    const auto script = render_host_script(test::site(), ws01, context);
    CHECK(script ==
          "#!ipxe\n"
          "# castline: host ws01 52:54:00:00:00:01\n"
          "kernel http://198.18.0.1:8080/vmlinuz initrd=castline-initramfs.img "
          "castline.server=198.18.0.1:8080 castline.mac=52:54:00:00:00:01 castline.token=tok123 "
          "console=ttyS0\n"
          "initrd http://198.18.0.1:8080/images/castline-initramfs.img\n"
          "boot\n");
}

TEST_CASE("a local host boots its disk: sanboot under BIOS, exit under UEFI") {
    const auto script = render_host_script(test::site(), ws02, no_job);
    CHECK(script.find("sanboot --no-describe --drive 0x80 || exit\n") != std::string::npos);
    CHECK(script.find("iseq ${platform} efi && exit ||\n") != std::string::npos);
    CHECK(script.find("kernel") == std::string::npos);
}

TEST_CASE("a job token images even a host whose action is local (a rollout's job)") {
    CHECK(script_kind(test::site(), ws02, context) == ScriptKind::image);
    CHECK(render_host_script(test::site(), ws02, context).find("castline.token=tok123") !=
          std::string::npos);
    ScriptContext done = context;
    done.job_done = true;
    CHECK(script_kind(test::site(), ws01, done) == ScriptKind::local);
}

TEST_CASE("the host's action overrides its group's") {
    auto c = test::site();
    c.hosts[0].action = config::HostAction::local;
    CHECK(script_kind(c, ws01) == ScriptKind::local);
    c.hosts[1].action = config::HostAction::image;
    CHECK(script_kind(c, ws02) == ScriptKind::image);
}

TEST_CASE("unknown hosts: ignore exits, local boots the disk, group uses that group") {
    auto c = test::site();
    CHECK(script_kind(c, stranger) == ScriptKind::ignore);
    CHECK(render_host_script(c, stranger, no_job).find("\nexit\n") != std::string::npos);
    c.boot.unknown_hosts = config::UnknownHostPolicy::local;
    CHECK(script_kind(c, stranger) == ScriptKind::local);
    c.boot.unknown_hosts = config::UnknownHostPolicy::group;
    c.boot.unknown_hosts_group = "lab";
    CHECK(script_kind(c, stranger) == ScriptKind::image);
    CHECK(render_host_script(c, stranger, context).find("# castline: unknown host") !=
          std::string::npos);
}

TEST_CASE("no token: no castline.token argument") {
    const auto script = render_host_script(test::site(), ws01, {context.server, 80, ""});
    CHECK(script.find("castline.token") == std::string::npos);
    CHECK(script.find("http://198.18.0.1:80/vmlinuz") != std::string::npos);
}

TEST_CASE("on_error of the host, else its group, follows boot.kernel_args on the command line") {
    auto c = test::site();
    c.boot.kernel_args = "console=ttyS0 castline.on_error=wait";
    c.groups["lab"].imaging.on_error = config::ErrorAction::poweroff;
    CHECK(render_host_script(c, ws01, context)
              .find("castline.token=tok123 console=ttyS0 castline.on_error=wait "
                    "castline.on_error=poweroff\n") != std::string::npos);
    c.hosts[0].imaging.on_error = config::ErrorAction::wait;
    CHECK(render_host_script(c, ws01, context).find("castline.on_error=wait\n") !=
          std::string::npos);
    c.hosts[0].imaging.on_error.reset();
    c.groups["lab"].imaging.on_error.reset();
    CHECK(render_host_script(c, ws01, context).find("castline.on_error=wait\n") !=
          std::string::npos);  // only boot.kernel_args' own
}
