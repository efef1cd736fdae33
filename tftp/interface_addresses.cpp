#include "tftp/interface_addresses.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace castline::tftp {
namespace {

int interface_mtu(const std::string& name) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 1500;
    ifreq request{};
    std::strncpy(request.ifr_name, name.c_str(), IFNAMSIZ - 1);
    const int mtu = ::ioctl(fd, SIOCGIFMTU, &request) == 0 ? request.ifr_mtu : 1500;
    ::close(fd);
    return mtu;
}

}  // namespace

std::vector<InterfaceAddress> interface_addresses(const std::vector<std::string>& names,
                                                  std::vector<std::string>& missing) {
    std::vector<InterfaceAddress> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) {
        missing.insert(missing.end(), names.begin(), names.end());
        return out;
    }
    for (const auto& name : names) {
        bool found = false;
        for (ifaddrs* a = list; a; a = a->ifa_next) {
            if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET || name != a->ifa_name)
                continue;
            sockaddr_in sin{};
            std::memcpy(&sin, a->ifa_addr, sizeof sin);
            out.push_back({name, Ipv4Address{ntohl(sin.sin_addr.s_addr)}, interface_mtu(name)});
            found = true;
        }
        if (!found) missing.push_back(name);
    }
    ::freeifaddrs(list);
    return out;
}

}  // namespace castline::tftp
