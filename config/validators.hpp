#pragma once
// Checks over the whole merged config, after every file has been parsed. Each reports at the
// line that holds the faulty value and names the other definition when two collide.
#include <map>
#include <string>

#include "config/site_config.hpp"
#include "config/yaml_reader.hpp"

namespace castline::config::detail {

// Names that must be defined: groups, images, sessions, post-configs, rollouts, hosts, served
// interfaces, and the ${variables} each host's post-config uses.
void check_references(const SiteConfig& config, Diagnostics& out);
// Things that must be unique or apart: host MACs and names, reserved addresses, pool ranges,
// session ports.
void check_conflicts(const SiteConfig& config, Diagnostics& out);
// Files the config names: include files are checked when read; here images (a warning, they may
// be captured later), password files and post-config file sources (errors), boot.root (warning).
void check_files(const SiteConfig& config, Diagnostics& out);
// Warnings for the kernel, initramfs and loaders the config serves that boot.root lacks.
void check_served_files(const SiteConfig& config, Diagnostics& out);
// The images a host or group would image from: each image's name and who uses it, e.g.
// "group \"lab\" (action: image)".
std::map<std::string, std::string> images_to_image_from(const SiteConfig& config);

void add_error(Diagnostics& out, SourceLocation where, std::string key_path, std::string message);
void add_warning(Diagnostics& out, SourceLocation where, std::string key_path, std::string message);

}  // namespace castline::config::detail
