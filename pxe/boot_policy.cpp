#include "pxe/boot_policy.hpp"

namespace castline::pxe {

namespace {
std::string http_base(Ipv4Address server, std::uint16_t port) {
    return "http://" + server.to_string() + ":" + std::to_string(port) + "/";
}
bool is_url(const std::string& s) {
    return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}
}  // namespace

const config::LoaderSet& loaders_for(const config::SiteConfig& config, const config::Host* host) {
    if (host && host->loaders) return *host->loaders;
    if (host) {
        const auto group = config.groups.find(host->group);
        if (group != config.groups.end() && group->second.loaders) return *group->second.loaders;
    }
    return config.boot.loaders;
}

std::string host_script_path(const MacAddress& mac) {
    auto text = mac.to_string();
    for (auto& c : text)
        if (c == ':') c = '-';
    return "ipxe/" + text + ".ipxe";
}

std::string host_script_url(const MacAddress& mac, Ipv4Address server, std::uint16_t http_port) {
    return http_base(server, http_port) + host_script_path(mac);
}

BootDecision choose_boot_file(const BootClient& client, const config::SiteConfig& config,
                              Ipv4Address server) {
    const auto* host = config.find_host(client.mac);
    if (!host && config.boot.unknown_hosts == config::UnknownHostPolicy::ignore)
        return {std::nullopt, "unknown host, boot.unknown_hosts is ignore"};
    const auto arch = client.architecture.value_or(0);
    if (client.ipxe) {
        // iPXE fetches the script over HTTP itself, whatever firmware it runs on.
        return {
            BootFile{host_script_url(client.mac, server, config.boot.http_port), true, arch == 0},
            "iPXE client: per-host script"};
    }
    const auto& loaders = loaders_for(config, host);
    switch (arch) {
        case 0:
            return {BootFile{loaders.bios, is_url(loaders.bios), true}, "BIOS loader"};
        case 7:  // RFC 4578 errata: x64 firmware sends 7 as well as 9
        case 9:
            return {BootFile{loaders.efi_x64, is_url(loaders.efi_x64), false}, "EFI x64 loader"};
        case 16: {
            const std::string url =
                loaders.efi_x64_http.empty()
                    ? http_base(server, config.boot.http_port) + "ipxe.efi"
                    : (is_url(loaders.efi_x64_http)
                           ? loaders.efi_x64_http
                           : http_base(server, config.boot.http_port) + loaders.efi_x64_http);
            return {BootFile{url, true, false}, "EFI x64 HTTP boot"};
        }
        case 11:
            return {BootFile{loaders.efi_arm64, is_url(loaders.efi_arm64), false},
                    "EFI ARM64 loader"};
        default:
            return {std::nullopt, "no loader for client architecture " + std::to_string(arch)};
    }
}

}  // namespace castline::pxe
