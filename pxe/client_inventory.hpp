#pragma once
// Every PXE client seen, for the fleet inventory: MAC, architecture, vendor class, UUID, the
// interface it was seen on, first and last seen, and (when an ACK was seen, see passive
// discovery in docs/dhcp.md) the address a DHCP server gave it and that server. Kept in memory,
// at most max_clients of them (the least recently seen go first: every spoofed MAC on the LAN
// would otherwise add one for good); saved as a small text file in the data directory by
// write-then-rename (common/durable_file.hpp), so a crash leaves the old or the new file.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
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
    // The default bound: a boot LAN's fleet with room to spare, ~400 bytes each in memory
    // (~4 MB) and ~130 bytes each on disk.
    static constexpr std::size_t default_max_clients = 10'000;
    explicit ClientInventory(std::size_t max_clients = default_max_clients)
        : max_clients_(max_clients == 0 ? 1 : max_clients) {}

    // Records a sighting of the client's own request; returns true when something other than
    // last_seen changed (a new client, or new facts), i.e. when saving soon is worthwhile. A
    // request carries no address, so the sighting's address/server replace the known ones only
    // when set. A new client beyond max_clients evicts the least recently seen one.
    bool record(ClientRecord sighting);
    // Records that a server acknowledged `address` for a known client; returns true when the
    // address or server changed. Unknown MACs are ignored (false): an ACK does not tell whether
    // its client is a PXE client, only the client's own request does.
    bool record_address(const MacAddress& mac, Ipv4Address address,
                        std::optional<Ipv4Address> server, std::int64_t now);
    const ClientRecord* find(const MacAddress& mac) const;
    std::vector<ClientRecord> all() const;
    std::size_t size() const { return clients_.size(); }
    std::size_t max_clients() const { return max_clients_; }
    // Clients evicted to stay within max_clients since this inventory was made.
    std::size_t evicted() const { return evicted_; }
    // A client or a fact changed since the last save: worth saving soon.
    bool dirty() const { return dirty_; }
    // Only last_seen times moved since the last save: worth saving now and then, not per packet.
    bool times_unsaved() const { return times_unsaved_; }

    // Loads a saved inventory, keeping the max_clients most recently seen; lines that do not
    // parse are skipped and counted. Files written before the address and server columns
    // existed load with both unknown.
    static ClientInventory load(const std::filesystem::path& file, std::size_t* skipped = nullptr,
                                std::size_t max_clients = default_max_clients);
    // Replaces FILE durably (common/durable_file.hpp). Clears dirty and times_unsaved on success.
    bool save(const std::filesystem::path& file);

  private:
    void insert(ClientRecord record);
    void set_last_seen(ClientRecord& record, std::int64_t when);
    void evict_beyond_bound();

    std::size_t max_clients_;
    std::map<MacAddress, ClientRecord> clients_;
    std::set<std::pair<std::int64_t, MacAddress>> by_last_seen_;  // eviction order
    std::size_t evicted_ = 0;
    bool dirty_ = false;
    bool times_unsaved_ = false;
};

}  // namespace castline::pxe
