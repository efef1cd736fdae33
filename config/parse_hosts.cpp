// hosts: the machines castline knows, by MAC address.
#include <algorithm>

#include "config/section_parsers.hpp"

namespace castline::config::detail {
namespace {
// An RFC 1123 host name label: what DHCP option 12 and Windows' ComputerName both accept.
bool is_host_name(std::string_view name) {
    if (name.empty() || name.size() > 63 || name.front() == '-' || name.back() == '-') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-';
    });
}

std::optional<HostAction> parse_action(Reader& reader, const YAML::Node& node,
                                       const std::string& path) {
    return reader.choice<HostAction>(node, path,
                                     {{"image", HostAction::image}, {"local", HostAction::local}});
}
}  // namespace

void parse_hosts(Reader& reader, const YAML::Node& node, const LoaderSet& loader_defaults,
                 std::vector<Host>& out) {
    if (!reader.is_list(node, "hosts", "hosts like {mac: ..., name: ...}") || !node.IsSequence())
        return;
    out.reserve(out.size() + node.size());
    std::size_t index = 0;
    for (const auto& item : node) {
        const std::string path = "hosts[" + std::to_string(index++) + "]";
        MapView map(reader, item, path,
                    {"mac", "name", "group", "vars", "action", "address", "loaders",
                     CASTLINE_IMAGING_KEYS});
        if (!map.is_map()) continue;
        Host host;
        host.location = map.location();
        host.key_path = path;
        map.record(host.fields);
        bool good = true;
        if (const auto* v = map.require("mac", "the host's MAC address like 52:54:00:12:34:56")) {
            if (auto mac = reader.mac(*v, map.path("mac")))
                host.mac = *mac;
            else
                good = false;
        } else {
            good = false;
        }
        if (const auto* v = map.require("name", "the host's name like ws01")) {
            const auto name = reader.text(*v, map.path("name"), "a host name like ws01");
            if (name && is_host_name(*name)) {
                host.name = *name;
                if (name->size() > 15)
                    reader.warning(reader.at(*v), map.path("name"),
                                   quote(*name) +
                                       " is longer than 15 characters; Windows cuts its "
                                       "computer name (NetBIOS name) to 15");
            } else {
                if (name)
                    reader.error(*v, map.path("name"),
                                 quote(*name) +
                                     " is not a host name, expected 1 to 63 letters, digits and "
                                     "'-', not starting or ending with '-'");
                good = false;
            }
        } else {
            good = false;
        }
        if (const auto* v = map.get("group"))
            if (auto name = reader.name(*v, map.path("group"), "group")) host.group = *name;
        if (const auto* v = map.get("vars")) host.vars = reader.variables(*v, map.path("vars"));
        if (const auto* v = map.get("action"))
            host.action = parse_action(reader, *v, map.path("action"));
        if (const auto* v = map.get("address")) host.address = reader.ipv4(*v, map.path("address"));
        if (const auto* v = map.get("loaders"))
            host.loaders = parse_loaders(reader, *v, map.path("loaders"), loader_defaults);
        parse_imaging(reader, map, host.imaging);
        if (good) out.push_back(std::move(host));
    }
}

}  // namespace castline::config::detail
