#include "config/site_config.hpp"

namespace castline::config {

std::string SourceLocation::to_string() const {
    return file + ':' + std::to_string(line) + ':' + std::to_string(column);
}

SourceLocation FieldLocations::find(std::string_view key, const SourceLocation& fallback) const {
    for (const auto& [name, location] : entries)
        if (name == key) return location;
    return fallback;
}

const Host* SiteConfig::find_host(const MacAddress& mac) const {
    for (const auto& host : hosts)
        if (host.mac == mac) return &host;
    return nullptr;
}

HostImaging imaging_for(const SiteConfig& config, const Host& host) {
    const auto group = config.groups.find(host.group);
    const ImagingSettings none;
    const auto& g = group == config.groups.end() ? none : group->second.imaging;
    const auto& h = host.imaging;
    const bool has_session = group != config.groups.end() && !group->second.session.empty();
    HostImaging out;
    out.restore = h.restore.value_or(
        g.restore.value_or(has_session ? RestoreMethod::session : RestoreMethod::unicast));
    out.disk = h.disk ? h.disk : g.disk;
    out.verify = h.verify.value_or(g.verify.value_or(true));
    out.power = h.power.value_or(g.power.value_or(PowerAction::reboot));
    out.on_error = h.on_error ? h.on_error : g.on_error;
    return out;
}

}  // namespace castline::config
