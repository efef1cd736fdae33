#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/site_config.hpp"

namespace castline::config {

// One problem in a config: "FILE:LINE:COL: key.path: what is wrong, what was expected".
struct Diagnostic {
    SourceLocation location;
    std::string key_path;
    std::string message;
    std::string to_string() const;
};

struct LoadResult {
    std::optional<SiteConfig> config;  // set only when diagnostics is empty
    std::vector<Diagnostic> diagnostics;
    bool ok() const { return config.has_value(); }
};

// Reads and validates a site config and the files it includes, judging the files alone.
LoadResult load_file(const std::filesystem::path& path);
// The same from text; `name` stands for the file in diagnostics, includes resolve from cwd.
LoadResult load_string(const std::string& text, const std::string& name);

// Checks what only the running machine can tell: interfaces exist, pools lie in their subnets.
std::vector<Diagnostic> check_machine(const SiteConfig& config);

}  // namespace castline::config
