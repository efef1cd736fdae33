#pragma once
// Test helpers: DHCP requests as real clients send them, and a small site config.
#include <string>

#include "config/site_config.hpp"
#include "dhcp/message.hpp"
#include "dhcp/reply.hpp"

namespace castline::dhcp::test {

inline const Ipv4Address server = *Ipv4Address::parse("198.18.0.1");

inline Message request(MessageType type, const char* mac = "52:54:00:00:00:01") {
    Message m;
    m.xid = 0x11223344;
    m.set_mac(*MacAddress::parse(mac));
    m.options.set_u8(option::message_type, static_cast<std::uint8_t>(type));
    return m;
}

// A PXE ROM's request: vendor class, 93, 94, 97 and a parameter request list with 66/67.
inline Message pxe_request(MessageType type, std::uint16_t arch,
                           const char* mac = "52:54:00:00:00:01") {
    auto m = request(type, mac);
    m.flags = flag_broadcast;
    m.options.set(option::parameter_request_list, {1, 3, 43, 60, 66, 67, 97, 128});
    m.options.set_string(option::vendor_class,
                         "PXEClient:Arch:0000" + std::to_string(arch) + ":UNDI:002001");
    m.options.set(option::client_architecture,
                  {static_cast<std::uint8_t>(arch >> 8), static_cast<std::uint8_t>(arch)});
    m.options.set(option::client_network_interface, {1, 2, 1});
    std::vector<std::uint8_t> uuid{0};
    for (std::uint8_t i = 0; i < 16; ++i) uuid.push_back(static_cast<std::uint8_t>(0xa0 + i));
    m.options.set(option::client_machine_id, uuid);
    return m;
}

inline RequestContext context_on(const char* interface = "lab0", std::uint16_t port = server_port) {
    RequestContext c;
    c.interface = interface;
    c.interface_network = {server, 24};
    c.local_port = port;
    c.now = 1'000'000;
    return c;
}

inline config::SiteConfig site(config::DhcpMode mode) {
    config::SiteConfig c;
    c.dhcp.mode = mode;
    config::DhcpPool pool;
    pool.interface = "lab0";
    pool.first = *Ipv4Address::parse("198.18.0.100");
    pool.last = *Ipv4Address::parse("198.18.0.102");
    pool.router = server;
    pool.dns_servers = {server};
    pool.domain_name = "lab.test";
    pool.lease_time = std::chrono::seconds(600);
    c.dhcp.pools.push_back(pool);
    config::DhcpPool relayed = pool;
    relayed.interface = "lab0";
    relayed.first = *Ipv4Address::parse("198.19.5.10");
    relayed.last = *Ipv4Address::parse("198.19.5.20");
    relayed.router = *Ipv4Address::parse("198.19.5.1");
    relayed.subnet_mask = *Ipv4Address::parse("255.255.255.0");
    c.dhcp.pools.push_back(relayed);
    config::Group lab;
    lab.name = "lab";
    lab.action = config::HostAction::image;
    c.groups["lab"] = lab;
    config::Host ws01;
    ws01.mac = *MacAddress::parse("52:54:00:00:00:01");
    ws01.name = "ws01";
    ws01.group = "lab";
    c.hosts.push_back(ws01);
    config::Host ws09;
    ws09.mac = *MacAddress::parse("52:54:00:00:00:09");
    ws09.name = "ws09";
    ws09.group = "lab";
    ws09.address = *Ipv4Address::parse("198.18.0.50");
    c.hosts.push_back(ws09);
    c.boot.unknown_hosts = config::UnknownHostPolicy::local;
    return c;
}

}  // namespace castline::dhcp::test
