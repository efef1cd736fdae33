#include "dhcp/lease_table.hpp"

#include <algorithm>

namespace castline::dhcp {

const char* lease_state_name(LeaseState state) {
    switch (state) {
        case LeaseState::offered:
            return "offered";
        case LeaseState::bound:
            return "bound";
        case LeaseState::released:
            return "released";
        case LeaseState::declined:
            return "declined";
    }
    return "?";
}

std::optional<LeaseState> parse_lease_state(std::string_view text) {
    for (auto s :
         {LeaseState::offered, LeaseState::bound, LeaseState::released, LeaseState::declined})
        if (text == lease_state_name(s)) return s;
    return std::nullopt;
}

const Lease* LeaseTable::at(Ipv4Address address) const {
    const auto it = by_address_.find(address.value);
    return it == by_address_.end() ? nullptr : &it->second;
}

const Lease* LeaseTable::of(const MacAddress& mac) const {
    const auto it = by_mac_.find(mac);
    return it == by_mac_.end() ? nullptr : at(Ipv4Address{it->second});
}

void LeaseTable::put(const Lease& lease) {
    if (const auto* old = at(lease.address); old && old->mac != lease.mac) {
        const auto owner = by_mac_.find(old->mac);
        if (owner != by_mac_.end() && owner->second == lease.address.value) by_mac_.erase(owner);
    }
    const auto previous = by_mac_.find(lease.mac);
    if (previous != by_mac_.end() && previous->second != lease.address.value) {
        // The client moved: its old address keeps a record only if it was bound (history).
        const auto it = by_address_.find(previous->second);
        if (it != by_address_.end() && it->second.state == LeaseState::offered) {
            unindex_offer(it->first);
            by_address_.erase(it);
        }
    }
    unindex_offer(lease.address.value);
    by_address_[lease.address.value] = lease;
    index_offer(lease);
    if (lease.state == LeaseState::declined) {
        const auto it = by_mac_.find(lease.mac);
        if (it != by_mac_.end() && it->second == lease.address.value) by_mac_.erase(it);
    } else {
        by_mac_[lease.mac] = lease.address.value;
    }
}

void LeaseTable::erase(Ipv4Address address) {
    const auto it = by_address_.find(address.value);
    if (it == by_address_.end()) return;
    const auto owner = by_mac_.find(it->second.mac);
    if (owner != by_mac_.end() && owner->second == address.value) by_mac_.erase(owner);
    unindex_offer(address.value);
    by_address_.erase(it);
}

void LeaseTable::index_offer(const Lease& lease) {
    if (lease.state != LeaseState::offered) return;
    const auto age = offers_made_++;
    offers_by_age_.emplace(age, lease.address.value);
    offer_age_[lease.address.value] = age;
}

void LeaseTable::unindex_offer(std::uint32_t address) {
    const auto it = offer_age_.find(address);
    if (it == offer_age_.end()) return;
    offers_by_age_.erase(it->second);
    offer_age_.erase(it);
}

std::optional<Ipv4Address> LeaseTable::oldest_offer(
    Ipv4Address first, Ipv4Address last, const MacAddress& mac, std::int64_t now,
    const std::function<bool(const Lease&)>& reusable) const {
    for (const auto& [age, address] : offers_by_age_) {
        const Ipv4Address a{address};
        if (a < first || last < a) continue;
        const auto it = by_address_.find(address);
        if (it == by_address_.end()) continue;
        const auto& lease = it->second;
        if (lease.mac == mac || lease.expires <= now || !reusable(lease)) continue;
        return a;
    }
    return std::nullopt;
}

bool LeaseTable::free_for(Ipv4Address address, const MacAddress& mac, std::int64_t now) const {
    const auto* lease = at(address);
    if (!lease) return true;
    if (lease->state == LeaseState::declined) return lease->expires <= now;
    if (lease->mac == mac) return true;
    return lease->state == LeaseState::released || lease->expires <= now;
}

std::optional<Ipv4Address> LeaseTable::allocate(Ipv4Address first, Ipv4Address last,
                                                const MacAddress& mac, std::int64_t now,
                                                const std::function<bool(Ipv4Address)>& usable) {
    if (last < first) return std::nullopt;
    const std::uint64_t count = std::uint64_t{last.value} - first.value + 1;
    auto& cursor = cursor_[first.value];
    if (cursor < first.value || cursor > last.value) cursor = first.value;
    for (std::uint64_t i = 0; i < count; ++i) {
        const Ipv4Address a{
            static_cast<std::uint32_t>(first.value + (cursor - first.value + i) % count)};
        if (!at(a) && usable(a)) {
            cursor = a.value == last.value ? first.value : a.value + 1;
            return a;
        }
    }
    // Every address has a record: take the one that expired longest ago.
    std::optional<Ipv4Address> best;
    std::int64_t best_expiry = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        const Ipv4Address a{static_cast<std::uint32_t>(first.value + i)};
        const auto* lease = at(a);
        if (!free_for(a, mac, now) || !usable(a)) continue;
        if (!best || lease->expires < best_expiry) {
            best = a;
            best_expiry = lease->expires;
        }
    }
    return best;
}

std::vector<Lease> LeaseTable::all() const {
    std::vector<Lease> out;
    out.reserve(by_address_.size());
    for (const auto& [address, lease] : by_address_) out.push_back(lease);
    std::sort(out.begin(), out.end(),
              [](const Lease& a, const Lease& b) { return a.address < b.address; });
    return out;
}

}  // namespace castline::dhcp
