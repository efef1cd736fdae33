#pragma once
// The first IPv4 address of a named interface, for binding multicast sockets to it.
#include <boost/asio/ip/address_v4.hpp>
#include <optional>
#include <string>

namespace castline::multicast {

std::optional<boost::asio::ip::address_v4> interface_address(const std::string& name);

}  // namespace castline::multicast
