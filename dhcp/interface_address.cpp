#include "dhcp/interface_address.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <bit>
#include <cstring>

namespace castline::dhcp {

std::optional<Ipv4Network> interface_address(const std::string& interface) {
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return std::nullopt;
    std::optional<Ipv4Network> found;
    for (auto* i = list; i && !found; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || interface != i->ifa_name) continue;
        const auto* a = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
        const auto* m = reinterpret_cast<const sockaddr_in*>(i->ifa_netmask);
        const std::uint32_t mask = m ? ntohl(m->sin_addr.s_addr) : 0xffffffffu;
        found = Ipv4Network{Ipv4Address{ntohl(a->sin_addr.s_addr)}, std::popcount(mask)};
    }
    ::freeifaddrs(list);
    return found;
}

}  // namespace castline::dhcp
