// groups: what a set of hosts gets (image, session, post-config, action, variables).
#include "config/section_parsers.hpp"

namespace castline::config::detail {

void parse_groups(Reader& reader, const YAML::Node& node, const LoaderSet& loader_defaults,
                  std::vector<Group>& out) {
    for_each_named(reader, node, "groups", "group",
                   [&](const std::string& name, const YAML::Node&, const YAML::Node& value) {
                       const std::string path = "groups." + name;
                       MapView map(reader, value, path,
                                   {"image", "action", "session", "postconfig", "vars", "loaders",
                                    CASTLINE_IMAGING_KEYS});
                       Group group;
                       group.name = name;
                       group.location = map.location();
                       group.key_path = path;
                       map.record(group.fields);
                       if (const auto* v = map.get("image"))
                           if (auto ref = reader.name(*v, map.path("image"), "image"))
                               group.image = *ref;
                       if (const auto* v = map.get("action"))
                           if (auto action = reader.choice<HostAction>(
                                   *v, map.path("action"),
                                   {{"image", HostAction::image}, {"local", HostAction::local}}))
                               group.action = *action;
                       if (const auto* v = map.get("session"))
                           if (auto ref = reader.name(*v, map.path("session"), "session"))
                               group.session = *ref;
                       if (const auto* v = map.get("postconfig"))
                           if (auto ref = reader.name(*v, map.path("postconfig"), "postconfig"))
                               group.postconfig = *ref;
                       if (const auto* v = map.get("vars"))
                           group.vars = reader.variables(*v, map.path("vars"));
                       if (const auto* v = map.get("loaders"))
                           group.loaders =
                               parse_loaders(reader, *v, map.path("loaders"), loader_defaults);
                       parse_imaging(reader, map, group.imaging);
                       out.push_back(std::move(group));
                   });
}

}  // namespace castline::config::detail
