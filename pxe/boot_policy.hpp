#pragma once
// Which first-stage boot file a PXE client gets. Pure: (client facts, config, server) -> answer.
// A client that already runs iPXE gets its per-host script instead of a loader, so a client
// that chain-loads iPXE never loops back into another iPXE.
#include <cstdint>
#include <optional>
#include <string>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"
#include "config/site_config.hpp"

namespace castline::pxe {

struct BootClient {
    MacAddress mac;
    std::optional<std::uint16_t> architecture;  // RFC 4578 option 93; absent: BIOS
    bool ipxe = false;                          // already running iPXE (77 "iPXE" or 175)
    bool http = false;                          // vendor class HTTPClient
};

struct BootFile {
    std::string file;  // a path for TFTP, or a full URL (HTTP boot, iPXE scripts)
    bool url = false;
    bool bios = false;  // BIOS PXE: the reply carries option 43 {6: 8}
};

struct BootDecision {
    std::optional<BootFile> boot;
    std::string reason;  // why there is no boot file, or what was chosen; for logs
};

// The loader set that applies to a host: its own, else its group's, else boot.loaders.
const config::LoaderSet& loaders_for(const config::SiteConfig& config, const config::Host* host);

// The per-host iPXE script's path on the boot-file service, e.g. "ipxe/52-54-00-00-00-01.ipxe".
std::string host_script_path(const MacAddress& mac);
// "http://198.18.0.1:8080/ipxe/52-54-00-00-00-01.ipxe"
std::string host_script_url(const MacAddress& mac, Ipv4Address server, std::uint16_t http_port);

BootDecision choose_boot_file(const BootClient& client, const config::SiteConfig& config,
                              Ipv4Address server);

}  // namespace castline::pxe
