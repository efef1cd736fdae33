#include "pxe/client_inventory.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <tuple>

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

bool ClientInventory::record(ClientRecord s) {
    auto it = clients_.find(s.mac);
    if (it == clients_.end()) {
        if (s.first_seen == 0) s.first_seen = s.last_seen;
        clients_.emplace(s.mac, std::move(s));
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
    r.last_seen = s.last_seen;
    dirty_ = true;
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
    r.last_seen = std::max(r.last_seen, now);
    dirty_ = true;
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

ClientInventory ClientInventory::load(const std::filesystem::path& file, std::size_t* skipped) {
    ClientInventory inventory;
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
        inventory.clients_[r.mac] = std::move(r);
    }
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
    const auto tmp = file.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            ::close(fd);
            ::unlink(tmp.c_str());
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced || std::rename(tmp.c_str(), file.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return false;
    }
    dirty_ = false;
    return true;
}

}  // namespace castline::pxe
