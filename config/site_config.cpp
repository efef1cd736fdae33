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

}  // namespace castline::config
