#pragma once
// Which site config a castline command reads when it needs one (for host and group names, or for
// castlined's API port): --config FILE, else $CASTLINE_CONFIG, else /etc/castline/site.yaml when
// that file exists. Every message about the config says which of the three chose it.
#include <filesystem>
#include <optional>
#include <string>

#include "config/site_config.hpp"
#include "daemon/api_client.hpp"

namespace castline::cli {

inline constexpr const char* default_site_config = "/etc/castline/site.yaml";
inline constexpr const char* site_config_variable = "CASTLINE_CONFIG";

struct SiteConfigChoice {
    std::filesystem::path path;
    std::string chosen_by;  // "--config", "CASTLINE_CONFIG" or "the default path"
    // "/etc/castline/site.yaml (the default path)"
    std::string describe() const { return path.string() + " (" + chosen_by + ")"; }
};

// `environment` is $CASTLINE_CONFIG (null or empty: unset); the default path counts only when it
// exists. Nothing when no config is named.
std::optional<SiteConfigChoice> choose_site_config(const std::optional<std::string>& flag,
                                                   const char* environment,
                                                   const std::filesystem::path& default_path);
// The same with the process environment and default_site_config.
std::optional<SiteConfigChoice> choose_site_config(const std::optional<std::string>& flag);

// Loads the config, printing its errors to stderr followed by a line naming the config and what
// chose it; nothing when it has errors.
std::optional<config::SiteConfig> load_site_config(const SiteConfigChoice& choice);

// The API address: --api, else server.api_port of the chosen config, else 127.0.0.1:8081; its
// `origin` says which. Returns an exit code after printing the problem, or nothing.
std::optional<int> resolve_api_endpoint(const std::optional<std::string>& api,
                                        const std::optional<std::string>& config_flag,
                                        ApiEndpoint& out);

}  // namespace castline::cli
