#include "pxe/ipxe_script.hpp"

#include <filesystem>

namespace castline::pxe {

namespace {
config::HostAction group_action(const config::SiteConfig& config, const std::string& name) {
    const auto group = config.groups.find(name);
    return group == config.groups.end() ? config::HostAction::local : group->second.action;
}
ScriptKind kind_of(config::HostAction action) {
    return action == config::HostAction::image ? ScriptKind::image : ScriptKind::local;
}
}  // namespace

ScriptKind script_kind(const config::SiteConfig& config, const MacAddress& mac) {
    if (const auto* host = config.find_host(mac)) {
        if (host->action) return kind_of(*host->action);
        return kind_of(group_action(config, host->group));
    }
    switch (config.boot.unknown_hosts) {
        case config::UnknownHostPolicy::ignore:
            return ScriptKind::ignore;
        case config::UnknownHostPolicy::local:
            return ScriptKind::local;
        case config::UnknownHostPolicy::group:
            return kind_of(group_action(config, config.boot.unknown_hosts_group));
    }
    return ScriptKind::ignore;
}

ScriptKind script_kind(const config::SiteConfig& config, const MacAddress& mac,
                       const ScriptContext& context) {
    if (context.job_done) return ScriptKind::local;
    if (!context.job_token.empty()) return ScriptKind::image;
    return script_kind(config, mac);
}

std::string render_host_script(const config::SiteConfig& config, const MacAddress& mac,
                               const ScriptContext& context) {
    std::string script = "#!ipxe\n";
    const auto* host = config.find_host(mac);
    script += "# castline: " + (host ? "host " + host->name : std::string("unknown host")) + " " +
              mac.to_string() + "\n";
    const auto kind = script_kind(config, mac, context);
    switch (kind) {
        case ScriptKind::ignore:
            script += "exit\n";
            break;
        case ScriptKind::local:
            // UEFI has no BIOS drive 0x80: hand back to the firmware's next boot option there.
            script += "iseq ${platform} efi && exit ||\n";
            script += "sanboot --no-describe --drive 0x80 || exit\n";
            break;
        case ScriptKind::image: {
            const std::string base = "http://" + context.server.to_string() + ":" +
                                     std::to_string(context.http_port) + "/";
            const auto& boot = config.boot;
            // initrd=NAME: old iPXE under UEFI passes the initramfs only by that name.
            std::string args =
                "initrd=" + std::filesystem::path(boot.initramfs).filename().string() +
                " castline.server=" + context.server.to_string() + ":" +
                std::to_string(context.http_port) + " castline.mac=" + mac.to_string();
            if (!context.job_token.empty()) args += " castline.token=" + context.job_token;
            if (!boot.kernel_args.empty()) args += " " + boot.kernel_args;
            // After boot.kernel_args, so the host's or group's own choice wins (init takes the
            // last castline.on_error=).
            if (const auto on_error =
                    host ? config::imaging_for(config, *host).on_error : std::nullopt)
                args += *on_error == config::ErrorAction::poweroff ? " castline.on_error=poweroff"
                                                                   : " castline.on_error=wait";
            script += "kernel " + base + boot.kernel + " " + args + "\n";
            script += "initrd " + base + boot.initramfs + "\n";
            script += "boot\n";
            break;
        }
    }
    return script;
}

}  // namespace castline::pxe
