// server: the served interfaces, the state folder and the log level.
#include <algorithm>

#include "config/section_parsers.hpp"

namespace castline::config::detail {
namespace {
// What Linux accepts as an interface name (dev_valid_name): 1..15 bytes, no '/', ':' is allowed
// for old-style aliases, no white space, not "." or "..".
bool is_interface_name(std::string_view name) {
    if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        return c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
               static_cast<unsigned char>(c) < 0x20;
    });
}
}  // namespace

void parse_server(Reader& reader, const YAML::Node& node, ServerConfig& out) {
    MapView map(reader, node, "server",
                {"interfaces", "data_dir", "log_level", "api_port", "history_keep"});
    if (node) out.location = map.location();
    map.record(out.fields);
    if (const auto* interfaces = map.get("interfaces")) {
        const std::string path = map.path("interfaces");
        if (reader.is_list(*interfaces, path, "interface names like [lab0]") &&
            interfaces->IsSequence()) {
            std::size_t index = 0;
            for (const auto& item : *interfaces) {
                const std::string item_path = path + "[" + std::to_string(index++) + "]";
                const auto name = reader.text(item, item_path, "an interface name like lab0");
                if (!name) continue;
                if (!is_interface_name(*name)) {
                    reader.error(item, item_path,
                                 quote(*name) +
                                     " is not an interface name, expected 1 to 15 "
                                     "characters without '/' or spaces, like lab0");
                    continue;
                }
                const auto seen = std::find(out.interfaces.begin(), out.interfaces.end(), *name);
                if (seen != out.interfaces.end()) {
                    const auto& first = out.interface_locations[static_cast<std::size_t>(
                        seen - out.interfaces.begin())];
                    reader.error(item, item_path,
                                 "interface " + quote(*name) + " is listed twice, first at " +
                                     first.to_string() + ", expected each interface once");
                    continue;
                }
                out.interfaces.push_back(*name);
                out.interface_locations.push_back(reader.at(item));
            }
        }
    }
    if (const auto* v = map.get("api_port"))
        if (auto value = reader.port(*v, map.path("api_port"))) out.api_port = *value;
    if (const auto* v = map.get("history_keep"))
        if (auto value = reader.duration(*v, map.path("history_keep"), std::chrono::hours(1),
                                         std::chrono::hours(24 * 3650)))
            out.history_keep = *value;
    if (const auto* dir = map.get("data_dir"))
        if (auto value = reader.file_path(*dir, map.path("data_dir"))) out.data_dir = *value;
    if (const auto* level = map.get("log_level"))
        if (auto value = reader.choice<log::Level>(*level, map.path("log_level"),
                                                   {{"error", log::Level::error},
                                                    {"warn", log::Level::warn},
                                                    {"info", log::Level::info},
                                                    {"debug", log::Level::debug}}))
            out.log_level = *value;
}

}  // namespace castline::config::detail
