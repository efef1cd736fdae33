// dhcp: the mode, the address pools of full mode, extra options and reservations.
#include <algorithm>

#include "config/section_parsers.hpp"

namespace castline::config::detail {
namespace {
std::string index_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

bool is_contiguous_mask(Ipv4Address mask) {
    const std::uint32_t inverted = ~mask.value;
    return (inverted & (inverted + 1)) == 0;  // ones then zeros
}

std::optional<std::pair<Ipv4Address, Ipv4Address>> parse_range(Reader& reader,
                                                               const YAML::Node& node,
                                                               const std::string& path) {
    constexpr const char* expected = "[first, last] like [198.18.0.100, 198.18.0.199]";
    if (!node.IsSequence() || node.size() != 2) {
        reader.error(node, path,
                     describe(node) +
                         (node.IsSequence() ? " has " + std::to_string(node.size()) + " addresses"
                                            : std::string(" is not a list")) +
                         ", expected " + expected);
        return std::nullopt;
    }
    const auto first = reader.ipv4(node[0], path + "[0]");
    const auto last = reader.ipv4(node[1], path + "[1]");
    if (!first || !last) return std::nullopt;
    if (*first > *last) {
        reader.error(node, path,
                     "the range is reversed: " + first->to_string() + " comes after " +
                         last->to_string() + ", expected [first, last] with first <= last");
        return std::nullopt;
    }
    return std::pair{*first, *last};
}

// True when the pool has an interface and a good range, the parts later checks rely on.
bool parse_pool(Reader& reader, const YAML::Node& node, const std::string& path, DhcpPool& pool) {
    MapView map(reader, node, path,
                {"interface", "range", "router", "subnet_mask", "dns_servers", "domain_name",
                 "lease_time"});
    pool.location = map.location();
    pool.key_path = path;
    map.record(pool.fields);
    bool good = map.is_map();
    if (const auto* interface = map.require("interface", "the served interface, e.g. lab0")) {
        if (auto value = reader.text(*interface, map.path("interface"), "an interface name"))
            pool.interface = *value;
        else
            good = false;
    } else {
        good = false;
    }
    if (const auto* range = map.require("range", "[first, last] addresses")) {
        if (auto value = parse_range(reader, *range, map.path("range"))) {
            pool.first = value->first;
            pool.last = value->second;
        } else {
            good = false;
        }
    } else {
        good = false;
    }
    if (const auto* router = map.get("router"))
        pool.router = reader.ipv4(*router, map.path("router"));
    if (const auto* mask = map.get("subnet_mask")) {
        if (auto value = reader.ipv4(*mask, map.path("subnet_mask"))) {
            if (is_contiguous_mask(*value))
                pool.subnet_mask = value;
            else
                reader.error(*mask, map.path("subnet_mask"),
                             value->to_string() +
                                 " is not a subnet mask, expected ones then "
                                 "zeros like 255.255.255.0");
        }
    }
    if (const auto* dns = map.get("dns_servers")) {
        const std::string dns_path = map.path("dns_servers");
        if (reader.is_list(*dns, dns_path, "IPv4 addresses") && dns->IsSequence()) {
            std::size_t index = 0;
            for (const auto& item : *dns)
                if (auto value = reader.ipv4(item, index_path(dns_path, index++)))
                    pool.dns_servers.push_back(*value);
        }
    }
    if (const auto* domain = map.get("domain_name"))
        if (auto value = reader.text(*domain, map.path("domain_name"), "a DNS domain name"))
            pool.domain_name = *value;
    // Leases under a minute are allowed for tests that watch clients renew, with a warning: in
    // production they only make every client renew every few seconds.
    if (const auto* lease = map.get("lease_time"))
        if (auto value = reader.duration(*lease, map.path("lease_time"), std::chrono::seconds(5),
                                         std::chrono::seconds(366 * 86400))) {
            pool.lease_time = *value;
            if (*value < std::chrono::seconds(60))
                reader.warning(reader.at(*lease), map.path("lease_time"),
                               std::to_string(value->count()) +
                                   " s is under a minute: clients renew every few seconds, "
                                   "meant for tests");
        }
    if (pool.router && pool.first <= *pool.router && *pool.router <= pool.last)
        reader.error(pool.fields.find("router", pool.location), map.path("router"),
                     pool.router->to_string() + " lies inside the pool's range " +
                         pool.first.to_string() + "-" + pool.last.to_string() +
                         ", expected an address outside the range");
    return good;
}

// Options castline itself sets on every reply; a config must not override them.
bool is_reserved_option(std::int64_t code) {
    return code == 51 || code == 52 || code == 53 || code == 54 || code == 55 || code == 57;
}

std::optional<std::vector<std::uint8_t>> parse_hex(std::string_view text) {
    std::vector<std::uint8_t> bytes;
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ':' || text[i] == ' ') {
            ++i;
            continue;
        }
        if (i + 1 >= text.size()) return std::nullopt;
        const int hi = digit(text[i]), lo = digit(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        bytes.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
        i += 2;
    }
    if (bytes.empty()) return std::nullopt;
    return bytes;
}

void parse_option(Reader& reader, const YAML::Node& node, const std::string& path,
                  std::vector<DhcpExtraOption>& out) {
    MapView map(reader, node, path, {"code", "string", "addresses", "hex"});
    DhcpExtraOption option;
    option.location = map.location();
    option.key_path = path;
    bool good = true;
    if (const auto* code = map.require("code", "the option code 1..254")) {
        if (auto value = reader.integer(*code, map.path("code"), 1, 254)) {
            if (is_reserved_option(*value)) {
                reader.error(*code, map.path("code"),
                             "option " + std::to_string(*value) +
                                 " is set by castline itself, expected another code");
                good = false;
            }
            option.code = static_cast<std::uint8_t>(*value);
        } else {
            good = false;
        }
    }
    const YAML::Node* string = map.get("string");
    const YAML::Node* addresses = map.get("addresses");
    const YAML::Node* hex = map.get("hex");
    const int kinds = (string ? 1 : 0) + (addresses ? 1 : 0) + (hex ? 1 : 0);
    if (kinds != 1 && map.is_map()) {
        reader.error(map.location(), path,
                     kinds == 0
                         ? "the option has no value, expected one of string, addresses or hex"
                         : "the option has more than one value, expected exactly one of "
                           "string, addresses or hex");
        return;
    }
    if (string) {
        if (auto value = reader.text(*string, map.path("string")))
            option.value.assign(value->begin(), value->end());
        else
            good = false;
    } else if (addresses) {
        const std::string list_path = map.path("addresses");
        if (reader.is_list(*addresses, list_path, "IPv4 addresses") && addresses->IsSequence()) {
            std::size_t index = 0;
            for (const auto& item : *addresses) {
                const auto value = reader.ipv4(item, index_path(list_path, index++));
                if (!value) {
                    good = false;
                    continue;
                }
                for (int shift = 24; shift >= 0; shift -= 8)
                    option.value.push_back(static_cast<std::uint8_t>(value->value >> shift));
            }
        } else {
            good = false;
        }
    } else if (hex) {
        if (auto text = reader.text(*hex, map.path("hex"), "hex bytes like 01:02:0a")) {
            if (auto bytes = parse_hex(*text))
                option.value = std::move(*bytes);
            else {
                reader.error(*hex, map.path("hex"),
                             quote(*text) +
                                 " is not hex bytes, expected pairs of hex digits "
                                 "like 01:02:0a or 01020a");
                good = false;
            }
        } else {
            good = false;
        }
    }
    if (option.value.size() > 255) {
        reader.error(map.location(), path,
                     "the value is " + std::to_string(option.value.size()) +
                         " bytes long, expected at most 255");
        good = false;
    }
    if (good) out.push_back(std::move(option));
}

void parse_reservation(Reader& reader, const YAML::Node& node, const std::string& path,
                       std::vector<DhcpReservation>& out) {
    MapView map(reader, node, path, {"mac", "address", "hostname"});
    DhcpReservation reservation;
    reservation.location = map.location();
    reservation.key_path = path;
    map.record(reservation.fields);
    std::optional<MacAddress> mac;
    std::optional<Ipv4Address> address;
    if (const auto* value = map.require("mac", "the client's MAC address"))
        mac = reader.mac(*value, map.path("mac"));
    if (const auto* value = map.require("address", "the IPv4 address to give it"))
        address = reader.ipv4(*value, map.path("address"));
    if (const auto* value = map.get("hostname"))
        if (auto text = reader.text(*value, map.path("hostname"))) reservation.hostname = *text;
    if (!mac || !address) return;
    reservation.mac = *mac;
    reservation.address = *address;
    out.push_back(std::move(reservation));
}
}  // namespace

void parse_dhcp(Reader& reader, const YAML::Node& node, DhcpConfig& out) {
    MapView map(reader, node, "dhcp",
                {"mode", "authoritative", "passive_discovery", "pools", "options", "reservations"});
    bool mode_known = !map.get("mode");
    if (const auto* mode = map.get("mode"))
        if (auto value = reader.choice<DhcpMode>(
                *mode, map.path("mode"),
                {{"proxy", DhcpMode::proxy}, {"full", DhcpMode::full}, {"off", DhcpMode::off}})) {
            out.mode = *value;
            mode_known = true;
        }
    if (const auto* value = map.get("authoritative"))
        if (auto flag = reader.boolean(*value, map.path("authoritative")))
            out.authoritative = *flag;
    const YAML::Node* passive = map.get("passive_discovery");
    if (passive)
        if (auto flag = reader.boolean(*passive, map.path("passive_discovery")))
            out.passive_discovery = *flag;

    const YAML::Node* pools = map.get("pools");
    if (pools) {
        const std::string path = map.path("pools");
        if (reader.is_list(*pools, path, "pools") && pools->IsSequence()) {
            std::size_t index = 0;
            for (const auto& item : *pools) {
                DhcpPool pool;
                if (parse_pool(reader, item, index_path(path, index++), pool))
                    out.pools.push_back(std::move(pool));
            }
        }
    }
    if (const auto* options = map.get("options")) {
        const std::string path = map.path("options");
        if (reader.is_list(*options, path, "options like {code: 42, addresses: [...]}") &&
            options->IsSequence()) {
            std::size_t index = 0;
            for (const auto& item : *options)
                parse_option(reader, item, index_path(path, index++), out.options);
        }
    }
    if (const auto* reservations = map.get("reservations")) {
        const std::string path = map.path("reservations");
        if (reader.is_list(*reservations, path, "reservations like {mac: ..., address: ...}") &&
            reservations->IsSequence()) {
            std::size_t index = 0;
            for (const auto& item : *reservations)
                parse_reservation(reader, item, index_path(path, index++), out.reservations);
        }
    }
    if (!mode_known) return;
    if (out.mode == DhcpMode::full && !(pools && pools->IsSequence() && pools->size() > 0))
        reader.error(pools ? reader.at(*pools) : map.location(), map.path("pools"),
                     "full mode has no pool, expected at least one pool with interface and range");
    if (out.mode != DhcpMode::full && pools && pools->IsSequence() && pools->size() > 0)
        reader.warning(reader.at(*pools), map.path("pools"),
                       "pools are used only in full mode and are ignored in this mode");
    // With DHCP off castlined opens no DHCP interface, so there is nothing to capture on.
    if (out.mode == DhcpMode::off && out.passive_discovery && passive)
        reader.warning(reader.at(*passive), map.path("passive_discovery"),
                       "passive discovery needs dhcp.mode proxy or full and is ignored with off");
}

}  // namespace castline::config::detail
