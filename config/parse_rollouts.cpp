// rollouts: which hosts to reimage, in waves, with what, and when to stop.
#include <charconv>

#include "config/section_parsers.hpp"

namespace castline::config::detail {
namespace {
// "100%", "95%" or a count of hosts like "18".
bool is_threshold(std::string_view t) {
    const bool percent = !t.empty() && t.back() == '%';
    if (percent) t.remove_suffix(1);
    int n = 0;
    const auto [end, problem] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (t.empty() || problem != std::errc{} || end != t.data() + t.size() || n < 0) return false;
    return !percent || n <= 100;
}

void parse_name_list(Reader& reader, const MapView& map, std::string_view key,
                     std::string_view what, std::vector<std::string>& out, FieldLocations& fields) {
    const auto* v = map.get(key);
    if (!v) return;
    const std::string path = map.path(key);
    if (!reader.is_list(*v, path, std::string(what) + " names") || !v->IsSequence()) return;
    std::size_t index = 0;
    for (const auto& item : *v) {
        // Each name's place is kept as "hosts[i]" so an undefined one can be pointed at later.
        const std::string item_key = std::string(key) + "[" + std::to_string(out.size()) + "]";
        if (auto name = reader.name(item, path + "[" + std::to_string(index) + "]", what)) {
            out.push_back(*name);
            fields.add(item_key, reader.at(item));
        }
        ++index;
    }
}

void parse_rollout(Reader& reader, MapView& map, Rollout& r) {
    using std::chrono::seconds;
    parse_name_list(reader, map, "hosts", "host", r.hosts, r.fields);
    parse_name_list(reader, map, "groups", "group", r.groups, r.fields);
    if (const auto* v = map.get("selector"))
        r.selector = reader.variables(*v, map.path("selector"));
    if (map.is_map() && r.hosts.empty() && r.groups.empty() && r.selector.empty() &&
        !map.get("hosts") && !map.get("groups") && !map.get("selector"))
        reader.error(map.location(), map.path("hosts"),
                     "the rollout selects no hosts, expected hosts, groups or a selector");
    for (const auto key : {"image", "session", "postconfig"}) {
        if (const auto* v = map.get(key)) {
            auto ref = reader.name(*v, map.path(key), key);
            if (!ref) continue;
            const std::string_view k = key;
            (k == "image" ? r.image : k == "session" ? r.session : r.postconfig) = *ref;
        }
    }
    if (const auto* v = map.get("wave_size"))
        if (auto n = reader.integer(*v, map.path("wave_size"), 1, 10000))
            r.wave_size = static_cast<int>(*n);
    if (const auto* v = map.get("wave_interval"))
        if (auto d = reader.duration(*v, map.path("wave_interval"), seconds(0), seconds(86400)))
            r.wave_interval = *d;
    if (const auto* v = map.get("max_concurrent"))
        if (auto n = reader.integer(*v, map.path("max_concurrent"), 0, 10000))
            r.max_concurrent = static_cast<int>(*n);
    if (const auto* v = map.get("success_threshold")) {
        if (auto text = reader.text(*v, map.path("success_threshold"))) {
            if (is_threshold(*text))
                r.success_threshold = *text;
            else
                reader.error(*v, map.path("success_threshold"),
                             quote(*text) +
                                 " is not a threshold, expected a percentage 0%..100% "
                                 "like 95% or a count of hosts like 18");
        }
    }
    if (const auto* v = map.get("time_limit"))
        if (auto d = reader.duration(*v, map.path("time_limit"), seconds(0), seconds(30 * 86400)))
            r.time_limit = *d;
    if (const auto* v = map.get("stop_on_failure"))
        if (auto b = reader.boolean(*v, map.path("stop_on_failure"))) r.stop_on_failure = *b;
}
}  // namespace

void parse_rollouts(Reader& reader, const YAML::Node& node, std::vector<Rollout>& out) {
    for_each_named(reader, node, "rollouts", "rollout",
                   [&](const std::string& name, const YAML::Node&, const YAML::Node& value) {
                       const std::string path = "rollouts." + name;
                       MapView map(reader, value, path,
                                   {"hosts", "groups", "selector", "image", "session", "postconfig",
                                    "wave_size", "wave_interval", "max_concurrent",
                                    "success_threshold", "time_limit", "stop_on_failure"});
                       if (!map.is_map()) return;
                       Rollout rollout;
                       rollout.name = name;
                       rollout.location = map.location();
                       rollout.key_path = path;
                       map.record(rollout.fields);
                       parse_rollout(reader, map, rollout);
                       out.push_back(std::move(rollout));
                   });
}

}  // namespace castline::config::detail
