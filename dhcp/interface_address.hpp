#pragma once
// The IPv4 address and prefix of a network interface, read from the kernel (getifaddrs).
#include <optional>
#include <string>

#include "common/ipv4_address.hpp"

namespace castline::dhcp {

// The first IPv4 address of `interface`, or nullopt when it has none or does not exist.
std::optional<Ipv4Network> interface_address(const std::string& interface);

}  // namespace castline::dhcp
