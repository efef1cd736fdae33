#pragma once
// The IPv4 addresses and MTU of named network interfaces (getifaddrs), where servers bind.
#include <string>
#include <vector>

#include "common/ipv4_address.hpp"

namespace castline::tftp {

struct InterfaceAddress {
    std::string interface;
    Ipv4Address address;
    int mtu = 1500;
};

// Every IPv4 address of each named interface, in the order of `names`. Names that have no
// IPv4 address are appended to `missing`.
std::vector<InterfaceAddress> interface_addresses(const std::vector<std::string>& names,
                                                  std::vector<std::string>& missing);

}  // namespace castline::tftp
