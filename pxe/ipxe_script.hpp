#pragma once
// The per-host iPXE script, rendered as text. Pure; the boot-file service serves it as a virtual
// file at pxe::host_script_path(mac) over HTTP and TFTP.
#include <cstdint>
#include <string>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"
#include "config/site_config.hpp"

namespace castline::pxe {

struct ScriptContext {
    Ipv4Address server;
    std::uint16_t http_port = 8080;
    std::string job_token;  // the host's imaging job: the script images, whatever its action
    bool job_done = false;  // the host's imaging job is done: it boots its local disk
};

enum class ScriptKind { image, local, ignore };

// What the script for this MAC does: the host's action, else its group's; an unknown host
// follows boot.unknown_hosts (ignore, local, or the named group's action).
ScriptKind script_kind(const config::SiteConfig& config, const MacAddress& mac);
// With the host's job: local once the job is done, image while it has a job token (a rollout
// gives one to hosts whose own action is local), else as above.
ScriptKind script_kind(const config::SiteConfig& config, const MacAddress& mac,
                       const ScriptContext& context);

// image: kernel + initramfs over HTTP with a command line naming the server and the job token;
// local: boot the first disk (sanboot 0x80 under BIOS, exit to the firmware under UEFI);
// ignore: exit, so the firmware moves on to its next boot device.
std::string render_host_script(const config::SiteConfig& config, const MacAddress& mac,
                               const ScriptContext& context);

}  // namespace castline::pxe
