#pragma once
// The files under boot.root that the config tells clients to fetch: the imaging kernel and
// initramfs and every first-stage loader of the boot policy (boot.loaders and the per-group and
// per-host overrides). castline config check and castlined warn about each one that is missing,
// and castlined logs a request for one of them that fails as a warning.
#include <string>
#include <vector>

#include "config/site_config.hpp"

namespace castline::config {

struct ServedFile {
    std::string file;      // relative to boot.root, e.g. "undionly.kpxe"
    std::string key_path;  // the key that names it, e.g. "boot.loaders.bios"
    SourceLocation location;
};

// Each file once, under the first key that names it; none when TFTP and HTTP are both off.
std::vector<ServedFile> served_files(const SiteConfig& config);

// The served files that are not regular files under boot.root.
std::vector<ServedFile> missing_served_files(const SiteConfig& config);

}  // namespace castline::config
