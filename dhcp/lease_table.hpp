#pragma once
// The full-mode lease state in memory: one record per address, indexed by client MAC too. Pure;
// LeaseJournal persists it. Offers live here only, never on disk.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"

namespace castline::dhcp {

enum class LeaseState : std::uint8_t { offered, bound, released, declined };
const char* lease_state_name(LeaseState state);
std::optional<LeaseState> parse_lease_state(std::string_view text);

struct Lease {
    Ipv4Address address;
    MacAddress mac;
    LeaseState state = LeaseState::bound;
    std::int64_t expires = 0;  // Unix seconds
    bool operator==(const Lease&) const = default;
};

class LeaseTable {
  public:
    const Lease* at(Ipv4Address address) const;
    // The client's latest record (any state but declined), or null.
    const Lease* of(const MacAddress& mac) const;
    // Stores a lease, replacing the record of its address and the client's previous address.
    void put(const Lease& lease);
    void erase(Ipv4Address address);

    // Whether `mac` may take `address` now: nobody holds it, or `mac` does, or the holder's
    // lease or offer expired or was released (a declined address stays out until it expires).
    bool free_for(Ipv4Address address, const MacAddress& mac, std::int64_t now) const;

    // A free address in [first, last] that `usable` accepts: never-used addresses first (from a
    // rotating cursor, so allocation stays O(1) while the pool is fresh), then expired ones.
    std::optional<Ipv4Address> allocate(Ipv4Address first, Ipv4Address last, const MacAddress& mac,
                                        std::int64_t now,
                                        const std::function<bool(Ipv4Address)>& usable);

    // The address in [first, last] of the longest-standing live offer to a client other than
    // `mac` that `reusable` accepts, or nullopt. An offer is a tentative hold the client never
    // requested (a requested one is bound), so an exhausted pool takes it back rather than
    // let a flood of DISCOVERs from made-up MACs hold every address (docs/dhcp.md).
    // O(live offers).
    std::optional<Ipv4Address> oldest_offer(
        Ipv4Address first, Ipv4Address last, const MacAddress& mac, std::int64_t now,
        const std::function<bool(const Lease&)>& reusable) const;

    std::vector<Lease> all() const;
    std::size_t size() const { return by_address_.size(); }

  private:
    void index_offer(const Lease& lease);
    void unindex_offer(std::uint32_t address);

    std::unordered_map<std::uint32_t, Lease> by_address_;
    std::map<MacAddress, std::uint32_t> by_mac_;
    std::map<std::uint32_t, std::uint32_t> cursor_;  // pool first address -> next to try
    // Records in state `offered`, by the order they were made (a repeated DISCOVER renews it).
    std::map<std::uint64_t, std::uint32_t> offers_by_age_;
    std::unordered_map<std::uint32_t, std::uint64_t> offer_age_;  // address -> key above
    std::uint64_t offers_made_ = 0;
};

}  // namespace castline::dhcp
