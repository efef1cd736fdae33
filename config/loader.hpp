#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/site_config.hpp"

namespace castline::config {

// One problem in a config: "FILE:LINE:COL: key.path: what is wrong, what was expected".
// Warnings (things a later step may still provide, such as an image not captured yet) print as
// "FILE:LINE:COL: warning: key.path: ..." and never make a config invalid.
struct Diagnostic {
    enum class Severity { error, warning };
    SourceLocation location;
    std::string key_path;
    std::string message;
    Severity severity = Severity::error;
    std::string to_string() const;
};

struct LoadResult {
    std::optional<SiteConfig> config;     // set only when diagnostics is empty
    std::vector<Diagnostic> diagnostics;  // errors, sorted by file and position
    std::vector<Diagnostic> warnings;
    bool ok() const { return config.has_value(); }
};

// Reads and validates a site config and the files it includes, judging the files alone.
LoadResult load_file(const std::filesystem::path& path);
// The same from text; `name` stands for the file in diagnostics, and relative paths (includes,
// files) resolve from name's folder (the current directory for a bare name).
LoadResult load_string(const std::string& text, const std::string& name);

// Checks what only the running machine can tell: interfaces exist, pools lie in their subnets.
std::vector<Diagnostic> check_machine(const SiteConfig& config);

// One network interface of a machine, as getifaddrs reports it.
struct InterfaceInfo {
    std::string name;
    std::vector<Ipv4Network> ipv4;  // address and prefix length of each IPv4 address
};
// The interfaces of this machine (of the current network namespace).
std::vector<InterfaceInfo> list_interfaces();
// The machine check against a given interface list; check_machine passes list_interfaces().
std::vector<Diagnostic> check_machine(const SiteConfig& config,
                                      const std::vector<InterfaceInfo>& interfaces);

}  // namespace castline::config
