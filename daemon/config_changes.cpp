#include "daemon/config_changes.hpp"

#include <map>
#include <tuple>
#include <vector>

namespace castline::daemon {
namespace {
using namespace config;

// The settings of each kind of entry that a reload can change, as a comparable tuple.
auto key_of(const ImagingSettings& i) {
    return std::tuple(i.restore, i.disk, i.verify, i.power, i.on_error);
}
auto key_of(const std::optional<LoaderSet>& l) {
    return l ? std::tuple(true, l->bios, l->efi_x64, l->efi_x64_http, l->efi_arm64)
             : std::tuple(false, std::string(), std::string(), std::string(), std::string());
}
auto key_of(const Host& h) {
    return std::tuple(h.mac, h.group, h.vars, h.action, h.address, key_of(h.loaders),
                      key_of(h.imaging));
}
auto key_of(const Group& g) {
    return std::tuple(g.image, g.action, g.session, g.postconfig, g.vars, key_of(g.loaders),
                      key_of(g.imaging));
}
auto key_of(const Image& i) {
    return std::tuple(i.path, i.description, i.password_file);
}
auto key_of(const Session& s) {
    return std::tuple(s.image, s.password_file, s.address, s.port, s.control_port, s.interface,
                      s.packet_size, s.rate_mbit, s.ttl, s.clients, s.min_clients, s.max_wait,
                      s.max_clients, s.constantcast, s.time_limit, s.late_policy);
}
auto key_of(const PostConfig& p) {
    std::vector<std::tuple<std::string, std::string, std::string>> sysprep;
    for (const auto& s : p.sysprep) sysprep.emplace_back(s.section, s.key, s.value);
    std::vector<std::pair<std::string, std::string>> unattend;
    for (const auto& u : p.unattend) unattend.emplace_back(u.path, u.value);
    std::vector<std::tuple<std::filesystem::path, std::string, bool>> files;
    for (const auto& f : p.files) files.emplace_back(f.source, f.target, f.render);
    return std::tuple(p.partition, p.sysprep_path, sysprep, p.sysprep_update, p.unattend_path,
                      unattend, files);
}
auto key_of(const Schedule& s) {
    return std::tuple(s.kind, s.at, s.days, s.day_of_month, s.every, s.cron, s.until, s.time_zone,
                      s.rollout);
}
auto key_of(const Rollout& r) {
    return std::tuple(r.hosts, r.groups, r.selector, r.image, r.session, r.postconfig, r.wave_size,
                      r.wave_interval, r.max_concurrent, r.success_threshold, r.time_limit,
                      r.stop_on_failure);
}

// "+new -gone ~changed" over two maps of named entries.
template <typename Map>
std::string named_changes(const Map& before, const Map& after) {
    std::string added, removed, changed;
    for (const auto& [name, entry] : after) {
        const auto old = before.find(name);
        if (old == before.end())
            added += " +" + name;
        else if (key_of(old->second) != key_of(entry))
            changed += " ~" + name;
    }
    for (const auto& [name, entry] : before)
        if (!after.count(name)) removed += " -" + name;
    return added + removed + changed;
}

std::map<std::string, Host> hosts_by_name(const SiteConfig& c) {
    std::map<std::string, Host> hosts;
    for (const auto& h : c.hosts) hosts.emplace(h.name, h);
    return hosts;
}

class Summary {
  public:
    void section(const std::string& name, const std::string& changes) {
        if (changes.empty()) return;
        if (!text_.empty()) text_ += "; ";
        text_ += name + changes;
    }
    const std::string& text() const { return text_; }

  private:
    std::string text_;
};

// " a,b" for the fields that differ.
class Fields {
  public:
    template <typename T>
    void compare(const char* name, const T& a, const T& b) {
        if (a == b) return;
        text_ += (text_.empty() ? " " : ",") + std::string(name);
    }
    const std::string& text() const { return text_; }

  private:
    std::string text_;
};
}  // namespace

std::string describe_changes(const SiteConfig& before, const SiteConfig& after) {
    Summary summary;
    Fields server;
    server.compare("interfaces", before.server.interfaces, after.server.interfaces);
    server.compare("data_dir", before.server.data_dir, after.server.data_dir);
    server.compare("log_level", before.server.log_level, after.server.log_level);
    server.compare("api_port", before.server.api_port, after.server.api_port);
    server.compare("history_keep", before.server.history_keep, after.server.history_keep);
    summary.section("server", server.text());

    const auto& d0 = before.dhcp;
    const auto& d1 = after.dhcp;
    Fields dhcp;
    dhcp.compare("mode", d0.mode, d1.mode);
    auto pools = [](const DhcpConfig& d) {
        std::vector<std::tuple<std::string, Ipv4Address, Ipv4Address, std::optional<Ipv4Address>,
                               std::optional<Ipv4Address>, std::vector<Ipv4Address>, std::string,
                               std::chrono::seconds>>
            out;
        for (const auto& p : d.pools)
            out.emplace_back(p.interface, p.first, p.last, p.router, p.subnet_mask, p.dns_servers,
                             p.domain_name, p.lease_time);
        return out;
    };
    dhcp.compare("pools", pools(d0), pools(d1));
    auto options = [](const DhcpConfig& d) {
        std::vector<std::pair<int, std::vector<std::uint8_t>>> out;
        for (const auto& o : d.options) out.emplace_back(o.code, o.value);
        return out;
    };
    dhcp.compare("options", options(d0), options(d1));
    auto reservations = [](const DhcpConfig& d) {
        std::vector<std::tuple<MacAddress, Ipv4Address, std::string>> out;
        for (const auto& r : d.reservations) out.emplace_back(r.mac, r.address, r.hostname);
        return out;
    };
    dhcp.compare("reservations", reservations(d0), reservations(d1));
    dhcp.compare("authoritative", d0.authoritative, d1.authoritative);
    dhcp.compare("passive_discovery", d0.passive_discovery, d1.passive_discovery);
    summary.section("dhcp", dhcp.text());

    const auto& b0 = before.boot;
    const auto& b1 = after.boot;
    Fields boot;
    boot.compare("root", b0.root, b1.root);
    boot.compare("tftp_port", b0.tftp_port, b1.tftp_port);
    boot.compare("http_port", b0.http_port, b1.http_port);
    boot.compare(
        "tftp",
        std::tuple(b0.tftp.max_blksize, b0.tftp.max_windowsize, b0.tftp.timeout, b0.tftp.retries),
        std::tuple(b1.tftp.max_blksize, b1.tftp.max_windowsize, b1.tftp.timeout, b1.tftp.retries));
    boot.compare("loaders", key_of(std::optional(b0.loaders)), key_of(std::optional(b1.loaders)));
    boot.compare("unknown_hosts", std::tuple(b0.unknown_hosts, b0.unknown_hosts_group),
                 std::tuple(b1.unknown_hosts, b1.unknown_hosts_group));
    boot.compare("kernel", b0.kernel, b1.kernel);
    boot.compare("initramfs", b0.initramfs, b1.initramfs);
    boot.compare("kernel_args", b0.kernel_args, b1.kernel_args);
    summary.section("boot", boot.text());

    Fields wake;
    wake.compare("count", before.wake.count, after.wake.count);
    wake.compare("interval", before.wake.interval, after.wake.interval);
    wake.compare("repeat", before.wake.repeat, after.wake.repeat);
    summary.section("wake", wake.text());

    summary.section("hosts", named_changes(hosts_by_name(before), hosts_by_name(after)));
    summary.section("groups", named_changes(before.groups, after.groups));
    summary.section("images", named_changes(before.images, after.images));
    summary.section("sessions", named_changes(before.sessions, after.sessions));
    summary.section("postconfig", named_changes(before.postconfig, after.postconfig));
    summary.section("schedules", named_changes(before.schedules, after.schedules));
    summary.section("rollouts", named_changes(before.rollouts, after.rollouts));
    return summary.text();
}

}  // namespace castline::daemon
