// The imaging keys groups and hosts share: restore method, target disk rule, verify, power and
// error actions.
#include "config/section_parsers.hpp"

namespace castline::config::detail {
namespace {

std::optional<DiskRule> parse_disk_rule(Reader& reader, const YAML::Node& node,
                                        const std::string& path) {
    MapView map(reader, node, path, {"path", "model", "serial", "min_size", "max_size"});
    if (!map.is_map()) return std::nullopt;
    DiskRule rule;
    bool good = true;
    const auto text = [&](std::string_view key, std::string& out, std::string_view expected) {
        const auto* v = map.get(key);
        if (!v) return;
        if (auto t = reader.text(*v, map.path(key), expected); t && !t->empty())
            out = *t;
        else
            good = false;
    };
    text("path", rule.path, "a device path like /dev/sda");
    text("model", rule.model, "a model name or pattern like \"Samsung SSD*\"");
    text("serial", rule.serial, "a serial number or pattern");
    if (!rule.path.empty() && rule.path.rfind("/dev/", 0) != 0) {
        reader.error(*map.get("path"), map.path("path"),
                     quote(rule.path) + " is not a device path, expected /dev/NAME");
        good = false;
    }
    constexpr std::uint64_t most = std::uint64_t{1} << 60;
    if (const auto* v = map.get("min_size")) {
        if (auto s = reader.size(*v, map.path("min_size"), 1, most))
            rule.min_size = *s;
        else
            good = false;
    }
    if (const auto* v = map.get("max_size")) {
        if (auto s = reader.size(*v, map.path("max_size"), 1, most))
            rule.max_size = *s;
        else
            good = false;
    }
    if (rule.max_size && rule.min_size > rule.max_size) {
        reader.error(*map.get("max_size"), map.path("max_size"),
                     "is smaller than min_size; no disk could match");
        good = false;
    }
    // Only for an empty map: a misspelt key has been reported already.
    if (good && rule == DiskRule{} && node.size() == 0) {
        reader.error(node, path,
                     "names no criterion, expected at least one of path, model, serial, "
                     "min_size, max_size (leave disk out for the only non-removable disk)");
        good = false;
    }
    return good ? std::optional(rule) : std::nullopt;
}

}  // namespace

void parse_imaging(Reader& reader, const MapView& map, ImagingSettings& out) {
    if (const auto* v = map.get("restore"))
        out.restore = reader.choice<RestoreMethod>(
            *v, map.path("restore"),
            {{"session", RestoreMethod::session}, {"unicast", RestoreMethod::unicast}});
    if (const auto* v = map.get("disk")) out.disk = parse_disk_rule(reader, *v, map.path("disk"));
    if (const auto* v = map.get("verify")) out.verify = reader.boolean(*v, map.path("verify"));
    if (const auto* v = map.get("power"))
        out.power = reader.choice<PowerAction>(*v, map.path("power"),
                                               {{"reboot", PowerAction::reboot},
                                                {"poweroff", PowerAction::poweroff},
                                                {"stay", PowerAction::stay}});
    if (const auto* v = map.get("on_error"))
        out.on_error = reader.choice<ErrorAction>(
            *v, map.path("on_error"),
            {{"wait", ErrorAction::wait}, {"poweroff", ErrorAction::poweroff}});
}

}  // namespace castline::config::detail
