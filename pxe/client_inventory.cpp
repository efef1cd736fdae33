#include "pxe/client_inventory.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include "common/durable_file.hpp"

namespace castline::pxe {

namespace {
// Fields are tab-separated; a tab or newline inside a client-supplied string would break the
// line, so such characters become '?'.
std::string clean(const std::string& s) {
    std::string out = s.empty() ? "-" : s;
    for (auto& c : out)
        if (c == '\t' || c == '\n' || c == '\r' || static_cast<unsigned char>(c) < 0x20) c = '?';
    return out;
}
std::string unclean(const std::string& s) {
    return s == "-" ? "" : s;
}
std::string address_text(const std::optional<Ipv4Address>& a) {
    return a ? a->to_string() : "-";
}
// "-" is unknown; anything else must be a dotted quad.
std::optional<Ipv4Address> parse_address(const std::string& text) {
    if (text == "-") return std::nullopt;
    const auto a = Ipv4Address::parse(text);
    if (!a) throw std::invalid_argument("address");
    return a;
}
}  // namespace

void ClientInventory::insert(ClientRecord record) {
    if (const auto it = clients_.find(record.mac); it != clients_.end())
        by_last_seen_.erase({it->second.last_seen, it->first});
    by_last_seen_.insert({record.last_seen, record.mac});
    clients_[record.mac] = std::move(record);
}

void ClientInventory::set_last_seen(ClientRecord& r, std::int64_t when) {
    if (r.last_seen == when) return;
    by_last_seen_.erase({r.last_seen, r.mac});
    r.last_seen = when;
    by_last_seen_.insert({r.last_seen, r.mac});
    times_unsaved_ = true;
}

void ClientInventory::evict_beyond_bound() {
    while (clients_.size() > max_clients_) {
        const auto oldest = by_last_seen_.begin();
        clients_.erase(oldest->second);
        by_last_seen_.erase(oldest);
        ++evicted_;
        dirty_ = true;
    }
}

bool ClientInventory::record(ClientRecord s) {
    auto it = clients_.find(s.mac);
    if (it == clients_.end()) {
        if (s.first_seen == 0) s.first_seen = s.last_seen;
        insert(std::move(s));
        evict_beyond_bound();
        dirty_ = true;
        return true;
    }
    auto& r = it->second;
    const bool changed = r.architecture != s.architecture || r.vendor_class != s.vendor_class ||
                         r.uuid != s.uuid || r.interface != s.interface ||
                         (s.address && s.address != r.address) ||
                         (s.server && s.server != r.server);
    r.architecture = s.architecture;
    if (s.address) r.address = s.address;
    if (s.server) r.server = s.server;
    r.vendor_class = std::move(s.vendor_class);
    r.uuid = std::move(s.uuid);
    r.interface = std::move(s.interface);
    set_last_seen(r, s.last_seen);
    if (changed) dirty_ = true;
    return changed;
}

bool ClientInventory::record_address(const MacAddress& mac, Ipv4Address address,
                                     std::optional<Ipv4Address> server, std::int64_t now) {
    const auto it = clients_.find(mac);
    if (it == clients_.end()) return false;
    auto& r = it->second;
    const bool changed = r.address != address || r.server != server;
    r.address = address;
    r.server = server;
    set_last_seen(r, std::max(r.last_seen, now));
    if (changed) dirty_ = true;
    return changed;
}

const ClientRecord* ClientInventory::find(const MacAddress& mac) const {
    const auto it = clients_.find(mac);
    return it == clients_.end() ? nullptr : &it->second;
}

std::vector<ClientRecord> ClientInventory::all() const {
    std::vector<ClientRecord> out;
    for (const auto& [mac, r] : clients_) out.push_back(r);
    return out;
}

ClientInventory ClientInventory::load(const std::filesystem::path& file, std::size_t* skipped,
                                      std::size_t max_clients) {
    ClientInventory inventory(max_clients);
    std::size_t bad = 0;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string field; std::getline(fields, field, '\t');) f.push_back(field);
        // 7 columns before passive discovery added address and server, 9 since.
        if (f.size() != 7 && f.size() != 9) {
            ++bad;
            continue;
        }
        const auto& [mac, arch, vendor, uuid, iface, first, last] =
            std::tie(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
        ClientRecord r;
        const auto parsed = MacAddress::parse(mac);
        try {
            if (!parsed) throw std::invalid_argument("mac");
            r.mac = *parsed;
            if (arch != "-") {
                const auto a = std::stoul(arch);
                if (a > 0xffff) throw std::out_of_range("arch");
                r.architecture = static_cast<std::uint16_t>(a);
            }
            r.first_seen = std::stoll(first);
            r.last_seen = std::stoll(last);
            if (f.size() == 9) {
                r.address = parse_address(f[7]);
                r.server = parse_address(f[8]);
            }
        } catch (const std::exception&) {
            ++bad;
            continue;
        }
        r.vendor_class = unclean(vendor);
        r.uuid = unclean(uuid);
        r.interface = unclean(iface);
        inventory.insert(std::move(r));
    }
    inventory.evict_beyond_bound();
    inventory.dirty_ = inventory.evicted_ > 0;  // the file holds more than the bound
    if (skipped) *skipped = bad;
    return inventory;
}

bool ClientInventory::save(const std::filesystem::path& file) {
    std::string text =
        "# castline PXE clients: mac arch vendor_class uuid interface first last address "
        "server\n";
    for (const auto& [mac, r] : clients_) {
        text += mac.to_string() + '\t' +
                (r.architecture ? std::to_string(*r.architecture) : std::string("-")) + '\t' +
                clean(r.vendor_class) + '\t' + clean(r.uuid) + '\t' + clean(r.interface) + '\t' +
                std::to_string(r.first_seen) + '\t' + std::to_string(r.last_seen) + '\t' +
                address_text(r.address) + '\t' + address_text(r.server) + '\n';
    }
    if (write_file_durably(file, text)) return false;
    dirty_ = false;
    times_unsaved_ = false;
    return true;
}

}  // namespace castline::pxe
