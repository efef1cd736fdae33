#pragma once
// What one DHCP message tells the PXE client inventory, whoever it was meant for: a PXE or HTTP
// boot client's own request describes the client; a server's ACK that grants a lease gives its
// address. Pure, so the socket path and the passive capture (docs/dhcp.md) judge alike.
#include <cstdint>
#include <optional>
#include <string>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"
#include "dhcp/message.hpp"
#include "pxe/client_inventory.hpp"

namespace castline::dhcp {

// A lease some server granted: yiaddr of an ACK, and the ACK's option 54.
struct AddressGrant {
    MacAddress mac;
    Ipv4Address address;
    std::optional<Ipv4Address> server;
};

struct Sighting {
    std::optional<pxe::ClientRecord> client;  // a boot client's request
    std::optional<AddressGrant> grant;        // a server's ACK with an address
    std::string ignored;                      // why neither, for debug logs
};

// The inventory record for a request from a PXE/HTTP boot client (describe_client says
// is_boot_client), seen on `interface` at `now`; nullopt for anything else.
std::optional<pxe::ClientRecord> client_record(const Message& request, const std::string& interface,
                                               std::int64_t now);

// Requests: a client record when the sender is a boot client; other clients are not recorded
// (the inventory is of PXE clients). Replies: a grant for an ACK whose yiaddr is set; OFFERs
// (not taken yet), NAKs, and ACKs without yiaddr (INFORM answers, proxyDHCP answers such as
// castline's own, which give no address) are ignored.
Sighting judge_sighting(const Message& message, const std::string& interface, std::int64_t now);

}  // namespace castline::dhcp
