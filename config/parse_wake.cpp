// wake: how fast Wake-on-LAN wakes machines, in waves (Paragon's WAKEUP_COUNT per WAKEUP_TIMEOUT).
#include "config/section_parsers.hpp"

namespace castline::config::detail {

void parse_wake(Reader& reader, const YAML::Node& node, WakeConfig& out) {
    MapView map(reader, node, "wake", {"count", "interval", "repeat"});
    if (const auto* v = map.get("count"))
        if (auto value = reader.integer(*v, map.path("count"), 1, 50))
            out.count = static_cast<int>(*value);
    if (const auto* v = map.get("interval"))
        if (auto value = reader.duration(*v, map.path("interval"), std::chrono::seconds(1),
                                         std::chrono::seconds(120)))
            out.interval = *value;
    if (const auto* v = map.get("repeat"))
        if (auto value = reader.integer(*v, map.path("repeat"), 1, 10))
            out.repeat = static_cast<int>(*value);
}

}  // namespace castline::config::detail
