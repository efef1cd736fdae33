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

// A lease some server granted (yiaddr of an ACK, and the ACK's option 54), or the one a client
// takes from a server (options 50 and 54 of its broadcast REQUEST in the selecting state).
struct AddressGrant {
    MacAddress mac;
    Ipv4Address address;
    std::optional<Ipv4Address> server;
    bool operator==(const AddressGrant&) const = default;
};

struct Sighting {
    std::optional<pxe::ClientRecord> client;  // a boot client's request
    std::optional<AddressGrant> grant;  // a server's ACK, or a client's REQUEST, with an address
    std::string ignored;                // why neither, for debug logs
};

// The inventory record for a request from a PXE/HTTP boot client (describe_client says
// is_boot_client), seen on `interface` at `now`; nullopt for anything else.
std::optional<pxe::ClientRecord> client_record(const Message& request, const std::string& interface,
                                               std::int64_t now);

// The address a client takes from a server: the requested address (50) of a REQUEST that names
// the server it answers (54). Broadcast, so the passive capture sees it even where the server's
// ACK is unicast to the client and never reaches castlined's port (a switch, or a bridge that is
// not promiscuous). As much to be trusted as an ACK seen on the LAN:
// both can be forged by a machine there (docs/adr/0090).
std::optional<AddressGrant> requested_grant(const Message& request);

// Requests: a client record when the sender is a boot client (other clients are not recorded:
// the inventory is of PXE clients), and its requested_grant. Replies: a grant for an ACK whose
// yiaddr is set; OFFERs (not taken yet), NAKs, and ACKs without yiaddr (INFORM answers, proxyDHCP
// answers such as castline's own, which give no address) are ignored.
Sighting judge_sighting(const Message& message, const std::string& interface, std::int64_t now);

}  // namespace castline::dhcp
