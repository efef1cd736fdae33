// What only the machine castlined runs on can tell: do the served interfaces exist, have an IPv4
// address, and do the pools lie inside their subnets. `castline config check` skips this.
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <bit>

#include "config/did_you_mean.hpp"
#include "config/loader.hpp"
#include "config/yaml_reader.hpp"

namespace castline::config {

std::vector<InterfaceInfo> list_interfaces() {
    std::vector<InterfaceInfo> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return out;
    for (const ifaddrs* entry = list; entry; entry = entry->ifa_next) {
        if (!entry->ifa_name) continue;
        auto found = std::find_if(out.begin(), out.end(),
                                  [&](const auto& i) { return i.name == entry->ifa_name; });
        if (found == out.end()) {
            out.push_back({entry->ifa_name, {}});
            found = out.end() - 1;
        }
        if (entry->ifa_addr && entry->ifa_addr->sa_family == AF_INET && entry->ifa_netmask) {
            const auto* address = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr);
            const auto* mask = reinterpret_cast<const sockaddr_in*>(entry->ifa_netmask);
            const std::uint32_t bits = ntohl(mask->sin_addr.s_addr);
            found->ipv4.push_back(
                {Ipv4Address{ntohl(address->sin_addr.s_addr)}, std::popcount(bits)});
        }
    }
    ::freeifaddrs(list);
    return out;
}

std::vector<Diagnostic> check_machine(const SiteConfig& config) {
    return check_machine(config, list_interfaces());
}

namespace {
std::string subnet_text(const Ipv4Network& n) {
    return Ipv4Network{Ipv4Address{n.address.value & n.mask()}, n.prefix_length}.to_string();
}

// A relayed pool's subnet is its subnet_mask around its first address: the range's end and the
// router must lie in it.
void check_relayed_pool(const DhcpPool& pool, std::vector<Diagnostic>& out) {
    const Ipv4Network subnet{pool.first, std::popcount(pool.subnet_mask->value)};
    if (!subnet.contains(pool.last))
        out.push_back({pool.fields.find("range", pool.location), pool.key_path + ".range",
                       pool.first.to_string() + "-" + pool.last.to_string() +
                           " spans more than one subnet of mask " + pool.subnet_mask->to_string() +
                           ", expected a range inside " + subnet_text(subnet)});
    if (pool.router && !subnet.contains(*pool.router))
        out.push_back({pool.fields.find("router", pool.location), pool.key_path + ".router",
                       pool.router->to_string() + " lies outside the pool's subnet " +
                           subnet_text(subnet) + ", expected a router inside it"});
}
}  // namespace

std::vector<Diagnostic> check_machine(const SiteConfig& config,
                                      const std::vector<InterfaceInfo>& interfaces) {
    std::vector<Diagnostic> out;
    std::vector<std::string> names;
    for (const auto& i : interfaces) names.push_back(i.name);
    auto find = [&](const std::string& name) -> const InterfaceInfo* {
        for (const auto& i : interfaces)
            if (i.name == name) return &i;
        return nullptr;
    };
    for (std::size_t i = 0; i < config.server.interfaces.size(); ++i) {
        const auto& name = config.server.interfaces[i];
        const SourceLocation where = i < config.server.interface_locations.size()
                                         ? config.server.interface_locations[i]
                                         : config.server.location;
        const std::string path = "server.interfaces[" + std::to_string(i) + "]";
        const auto* info = find(name);
        if (!info) {
            std::string list;
            for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
            out.push_back({where, path,
                           "interface " + detail::quote(name) + " does not exist on this machine" +
                               suggestion_suffix(did_you_mean(name, names)) + ", expected one of " +
                               (list.empty() ? "(none)" : list)});
        } else if (info->ipv4.empty()) {
            out.push_back({where, path,
                           "interface " + detail::quote(name) +
                               " has no IPv4 address, expected one (it is the server address "
                               "clients are sent to)"});
        }
    }
    if (config.dhcp.mode != DhcpMode::full) return out;
    for (const auto& pool : config.dhcp.pools) {
        const auto* info = find(pool.interface);
        if (!info || info->ipv4.empty()) continue;  // reported above or by the loader
        const auto where = pool.fields.find("range", pool.location);
        const auto subnet = std::find_if(info->ipv4.begin(), info->ipv4.end(), [&](const auto& n) {
            return n.contains(pool.first) && n.contains(pool.last);
        });
        if (subnet == info->ipv4.end()) {
            // A pool with its own subnet_mask may serve a subnet behind a relay agent (giaddr
            // picks it); without one, a range off the interface is a mistake.
            if (pool.subnet_mask) {
                check_relayed_pool(pool, out);
                continue;
            }
            std::string subnets;
            for (const auto& n : info->ipv4)
                subnets += (subnets.empty() ? "" : ", ") + subnet_text(n);
            out.push_back({where, pool.key_path + ".range",
                           pool.first.to_string() + "-" + pool.last.to_string() +
                               " lies outside the subnet of " + detail::quote(pool.interface) +
                               " (" + subnets +
                               "), expected addresses inside it (or a subnet_mask for a subnet "
                               "reached through a relay agent)"});
            continue;
        }
        if (pool.first <= subnet->address && subnet->address <= pool.last)
            out.push_back({where, pool.key_path + ".range",
                           pool.first.to_string() + "-" + pool.last.to_string() +
                               " includes the server's own address " + subnet->address.to_string() +
                               ", expected a range without it"});
        if (pool.router && !subnet->contains(*pool.router))
            out.push_back({pool.fields.find("router", pool.location), pool.key_path + ".router",
                           pool.router->to_string() + " lies outside the subnet " +
                               subnet_text(*subnet) + " of " + detail::quote(pool.interface) +
                               ", expected a router inside it"});
    }
    return out;
}

}  // namespace castline::config
