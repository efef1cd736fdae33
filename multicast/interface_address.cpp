#include "multicast/interface_address.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

namespace castline::multicast {

std::optional<boost::asio::ip::address_v4> interface_address(const std::string& name) {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return std::nullopt;
    std::optional<boost::asio::ip::address_v4> found;
    for (auto* i = list; i; i = i->ifa_next) {
        if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET && name == i->ifa_name) {
            const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
            found = boost::asio::ip::address_v4(ntohl(sin->sin_addr.s_addr));
            break;
        }
    }
    freeifaddrs(list);
    return found;
}

}  // namespace castline::multicast
