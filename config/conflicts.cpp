// Uniqueness and overlap checks. Hash maps and one sort keep them O(n log n) for long fleets.
#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "config/validators.hpp"

namespace castline::config::detail {
namespace {
std::uint64_t mac_key(const MacAddress& mac) {
    std::uint64_t key = 0;
    for (auto b : mac.bytes) key = (key << 8) | b;
    return key;
}

std::string lower(std::string text) {
    for (auto& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

struct FirstUse {
    std::string key_path;
    SourceLocation location;
    std::string what;  // e.g. "ws03"
};

void check_hosts(const SiteConfig& c, Diagnostics& out) {
    std::unordered_map<std::uint64_t, FirstUse> macs;
    std::unordered_map<std::string, FirstUse> names;
    std::unordered_map<std::uint32_t, FirstUse> addresses;
    macs.reserve(c.hosts.size() + c.dhcp.reservations.size());
    names.reserve(c.hosts.size());
    for (const auto& h : c.hosts) {
        const auto mac_at = h.fields.find("mac", h.location);
        const auto [mac_first, mac_new] =
            macs.try_emplace(mac_key(h.mac), FirstUse{h.key_path, mac_at, h.name});
        if (!mac_new)
            add_error(out, mac_at, h.key_path + ".mac",
                      quote(h.mac.to_string()) + " is already the MAC of " +
                          mac_first->second.key_path + " (" + mac_first->second.what + ") at " +
                          mac_first->second.location.to_string() + ", expected each MAC once");
        const auto name_at = h.fields.find("name", h.location);
        // Host names are DNS and NetBIOS names, which ignore case.
        const auto [name_first, name_new] =
            names.try_emplace(lower(h.name), FirstUse{h.key_path, name_at, h.mac.to_string()});
        if (!name_new)
            add_error(out, name_at, h.key_path + ".name",
                      quote(h.name) + " is already the name of " + name_first->second.key_path +
                          " (" + name_first->second.what + ") at " +
                          name_first->second.location.to_string() + ", expected each name once");
        if (h.address) {
            const auto at = h.fields.find("address", h.location);
            const auto [first, inserted] =
                addresses.try_emplace(h.address->value, FirstUse{h.key_path, at, h.name});
            if (!inserted)
                add_error(out, at, h.key_path + ".address",
                          h.address->to_string() + " is already reserved for " +
                              first->second.key_path + " at " + first->second.location.to_string() +
                              ", expected each address once");
        }
    }
    for (const auto& r : c.dhcp.reservations) {
        const auto mac_at = r.fields.find("mac", r.location);
        const auto [mac_first, mac_new] =
            macs.try_emplace(mac_key(r.mac), FirstUse{r.key_path, mac_at, r.hostname});
        if (!mac_new)
            add_error(out, mac_at, r.key_path + ".mac",
                      quote(r.mac.to_string()) + " is already used by " +
                          mac_first->second.key_path + " at " +
                          mac_first->second.location.to_string() +
                          ", expected each MAC once (a known host takes its address from "
                          "hosts[].address)");
        const auto at = r.fields.find("address", r.location);
        const auto [first, inserted] =
            addresses.try_emplace(r.address.value, FirstUse{r.key_path, at, r.hostname});
        if (!inserted)
            add_error(out, at, r.key_path + ".address",
                      r.address.to_string() + " is already reserved for " + first->second.key_path +
                          " at " + first->second.location.to_string() +
                          ", expected each address once");
    }
}

void check_pools(const SiteConfig& c, Diagnostics& out) {
    const auto& pools = c.dhcp.pools;
    std::vector<std::size_t> order(pools.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return pools[a].first < pools[b].first; });
    // Sweep by first address; the pool reaching furthest so far is the one a later pool can hit.
    std::size_t reach = pools.size();
    for (std::size_t i : order) {
        const auto& pool = pools[i];
        if (reach != pools.size() && pool.first <= pools[reach].last) {
            const auto& other = pools[reach];
            add_error(out, pool.fields.find("range", pool.location), pool.key_path + ".range",
                      pool.first.to_string() + "-" + pool.last.to_string() + " overlaps " +
                          other.key_path + " " + other.first.to_string() + "-" +
                          other.last.to_string() + " at " +
                          other.fields.find("range", other.location).to_string() +
                          ", expected pools that share no address");
        }
        if (reach == pools.size() || pool.last > pools[reach].last) reach = i;
    }
}

void check_ports(const SiteConfig& c, Diagnostics& out) {
    if (c.boot.tftp_port != 0 && c.boot.tftp_port == c.boot.http_port) {
        add_error(
            out, c.boot.fields.find("http_port", {}), "boot.http_port",
            std::to_string(c.boot.http_port) + " is also boot.tftp_port, expected another port");
    }
    std::map<std::pair<std::uint32_t, std::uint16_t>, const Session*> used;
    for (const auto& [name, s] : c.sessions) {
        if (s.port == 0) continue;
        const auto [first, inserted] = used.try_emplace({s.address.value, s.port}, &s);
        if (!inserted)
            add_error(out, s.fields.find("port", s.location), s.key_path + ".port",
                      s.address.to_string() + ":" + std::to_string(s.port) +
                          " is already used by " + first->second->key_path + " at " +
                          first->second->fields.find("port", first->second->location).to_string() +
                          ", expected each session on its own group address and port");
    }
}
}  // namespace

void check_conflicts(const SiteConfig& c, Diagnostics& out) {
    check_hosts(c, out);
    check_pools(c, out);
    check_ports(c, out);
}

}  // namespace castline::config::detail
