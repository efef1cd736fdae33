#pragma once
// A site config built in C++ for the PXE tests: two known hosts in an imaging group and a
// local-boot group.
#include "config/site_config.hpp"

namespace castline::pxe::test {

inline config::SiteConfig site() {
    config::SiteConfig c;
    c.boot.http_port = 8080;
    c.boot.kernel = "vmlinuz";
    c.boot.initramfs = "images/castline-initramfs.img";
    c.boot.kernel_args = "console=ttyS0";
    config::Group lab;
    lab.name = "lab";
    lab.action = config::HostAction::image;
    c.groups["lab"] = lab;
    config::Group office;
    office.name = "office";
    office.action = config::HostAction::local;
    office.loaders = config::LoaderSet{};
    office.loaders->efi_x64 = "ipxe.efi";
    c.groups["office"] = office;
    config::Host ws01;
    ws01.mac = *MacAddress::parse("52:54:00:00:00:01");
    ws01.name = "ws01";
    ws01.group = "lab";
    c.hosts.push_back(ws01);
    config::Host ws02;
    ws02.mac = *MacAddress::parse("52:54:00:00:00:02");
    ws02.name = "ws02";
    ws02.group = "office";
    c.hosts.push_back(ws02);
    return c;
}

}  // namespace castline::pxe::test
