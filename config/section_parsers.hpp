#pragma once
// One parser per section of a site config. Each reads its YAML node into the typed model through
// a Reader, reporting every problem and keeping what was good; none of them throws.
#include <yaml-cpp/yaml.h>

#include <vector>

#include "config/site_config.hpp"
#include "config/yaml_reader.hpp"

namespace castline::config::detail {

// Sections only the top-level file may set.
void parse_server(Reader& reader, const YAML::Node& node, ServerConfig& out);
void parse_dhcp(Reader& reader, const YAML::Node& node, DhcpConfig& out);
void parse_boot(Reader& reader, const YAML::Node& node, BootConfig& out);
void parse_wake(Reader& reader, const YAML::Node& node, WakeConfig& out);

// boot.loaders, and the per-group and per-host overrides; keys not given keep `defaults`.
LoaderSet parse_loaders(Reader& reader, const YAML::Node& node, const std::string& path,
                        const LoaderSet& defaults);

// The imaging keys groups and hosts share (docs/config.md, "Imaging keys"): the names for a
// MapView key list, and their parser.
#define CASTLINE_IMAGING_KEYS "restore", "disk", "verify", "power", "on_error"
void parse_imaging(Reader& reader, const MapView& map, ImagingSettings& out);

// Sections any file may add to; the loader merges them across included files.
void parse_hosts(Reader& reader, const YAML::Node& node, const LoaderSet& loader_defaults,
                 std::vector<Host>& out);
void parse_groups(Reader& reader, const YAML::Node& node, const LoaderSet& loader_defaults,
                  std::vector<Group>& out);
void parse_images(Reader& reader, const YAML::Node& node, std::vector<Image>& out);
void parse_sessions(Reader& reader, const YAML::Node& node, std::vector<Session>& out);
void parse_postconfig(Reader& reader, const YAML::Node& node, std::vector<PostConfig>& out);
void parse_schedules(Reader& reader, const YAML::Node& node, std::vector<Schedule>& out);
void parse_rollouts(Reader& reader, const YAML::Node& node, std::vector<Rollout>& out);

}  // namespace castline::config::detail
