#pragma once
// Serves each host's iPXE script (pxe::render_host_script) as the virtual file
// ipxe/<mac-with-dashes>.ipxe over TFTP and HTTP, addressed from the server address that faces
// the asking client.
#include <functional>
#include <optional>

#include "common/ipv4_address.hpp"
#include "config/site_config.hpp"
#include "tftp/virtual_files.hpp"

namespace castline::daemon {

// The MAC named by a script path, or nothing for any other path.
std::optional<MacAddress> mac_of_script_path(const std::string& path);

// The address of a served interface whose subnet holds `client`, else the first served address.
std::optional<Ipv4Address> server_address_for(const config::SiteConfig& config, Ipv4Address client);

// What a host to be imaged gets: its job's token, or local boot once the job is done (and when
// the requester may not have the token); nothing for a host that is not to be imaged (its action
// and no rollout say so). Asked with the requester's address.
struct BootJob {
    bool done = false;
    std::string token;
};
using BootJobFor = std::function<std::optional<BootJob>(const config::Host&, Ipv4Address)>;

// `current` returns the config in force, so a reload changes the scripts at once.
void register_host_scripts(tftp::VirtualFiles& files,
                           std::function<const config::SiteConfig&()> current, BootJobFor jobs);

}  // namespace castline::daemon
