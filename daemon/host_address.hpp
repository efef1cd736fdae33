#pragma once
// Which IPv4 address a host has on the boot LAN as castlined knows it: the one requester that may
// receive and use the host's job token (docs/jobs.md, "Who gets a token").
#include <functional>
#include <optional>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"
#include "config/site_config.hpp"

namespace castline::daemon {

// What DHCP shows for a MAC (dhcp::DhcpServer::address_of), nothing when DHCP is off.
using AddressOfMac = std::function<std::optional<Ipv4Address>(const MacAddress&)>;

// hosts[].address when the config gives one (the reservation in full mode, the address the
// site's DHCP server gives it otherwise), else what DHCP shows.
inline std::optional<Ipv4Address> host_address(const config::Host& host, const AddressOfMac& seen) {
    if (host.address) return host.address;
    if (seen) return seen(host.mac);
    return std::nullopt;
}

}  // namespace castline::daemon
