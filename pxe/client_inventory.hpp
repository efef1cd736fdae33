#pragma once
// Every PXE client seen, for the fleet inventory: MAC, architecture, vendor class, UUID, the
// interface it was seen on, first and last seen, and (when an ACK was seen, see passive
// discovery in docs/dhcp.md) the address a DHCP server gave it and that server. Kept in memory;
// saved as a small text file in the data directory by write-then-rename, so a crash leaves the
// old or the new file, never half.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"

namespace castline::pxe {

struct ClientRecord {
    MacAddress mac;
    std::optional<std::uint16_t> architecture;
    std::string vendor_class;
    std::string uuid;  // text form, empty when the client sent none
    std::string interface;
    std::int64_t first_seen = 0;  // Unix seconds
    std::int64_t last_seen = 0;
    std::optional<Ipv4Address> address;  // last address a DHCP server acknowledged for it
    std::optional<Ipv4Address> server;   // the server of that ACK (its option 54)
    bool operator==(const ClientRecord&) const = default;
};

class ClientInventory {
  public:
    // Records a sighting of the client's own request; returns true when something other than
    // last_seen changed (a new client, or new facts), i.e. when saving soon is worthwhile. A
    // request carries no address, so the sighting's address/server replace the known ones only
    // when set.
    bool record(ClientRecord sighting);
    // Records that a server acknowledged `address` for a known client; returns true when the
    // address or server changed. Unknown MACs are ignored (false): an ACK does not tell whether
    // its client is a PXE client, only the client's own request does.
    bool record_address(const MacAddress& mac, Ipv4Address address,
                        std::optional<Ipv4Address> server, std::int64_t now);
    const ClientRecord* find(const MacAddress& mac) const;
    std::vector<ClientRecord> all() const;
    bool dirty() const { return dirty_; }

    // Loads a saved inventory; lines that do not parse are skipped and counted. Files written
    // before the address and server columns existed load with both unknown.
    static ClientInventory load(const std::filesystem::path& file, std::size_t* skipped = nullptr);
    // Writes FILE.tmp, fsyncs it and renames it over FILE. Clears dirty on success.
    bool save(const std::filesystem::path& file);

  private:
    std::map<MacAddress, ClientRecord> clients_;
    bool dirty_ = false;
};

}  // namespace castline::pxe
