#include "daemon/cli_site_config.hpp"

#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "config/loader.hpp"

namespace castline::cli {

std::optional<SiteConfigChoice> choose_site_config(const std::optional<std::string>& flag,
                                                   const char* environment,
                                                   const std::filesystem::path& default_path) {
    if (flag) return SiteConfigChoice{*flag, "--config"};
    if (environment && *environment) return SiteConfigChoice{environment, site_config_variable};
    std::error_code error;
    if (std::filesystem::exists(default_path, error))
        return SiteConfigChoice{default_path, "the default path"};
    return std::nullopt;
}

std::optional<SiteConfigChoice> choose_site_config(const std::optional<std::string>& flag) {
    return choose_site_config(flag, std::getenv(site_config_variable), default_site_config);
}

std::optional<config::SiteConfig> load_site_config(const SiteConfigChoice& choice) {
    auto loaded = config::load_file(choice.path);
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", d.to_string().c_str());
    if (!loaded.ok()) {
        std::fprintf(stderr, "castline: %zu error(s) in the site config %s\n",
                     loaded.diagnostics.size(), choice.describe().c_str());
        return std::nullopt;
    }
    return std::move(loaded.config);
}

std::optional<int> resolve_api_endpoint(const std::optional<std::string>& api,
                                        const std::optional<std::string>& config_flag,
                                        ApiEndpoint& out) {
    if (api) {
        try {
            out = ApiEndpoint::parse(*api);
            out.origin = "--api";
        } catch (const ApiError& e) {
            std::fprintf(stderr, "castline: --api: %s\n", e.what());
            return 2;
        }
        return std::nullopt;
    }
    const auto choice = choose_site_config(config_flag);
    if (!choice) {
        out.origin = std::string("the default port; no --api, --config or ") +
                     site_config_variable + " was given and " + default_site_config +
                     " does not exist";
        return std::nullopt;
    }
    const auto site = load_site_config(*choice);
    if (!site) return 1;
    if (site->server.api_port == 0) {
        std::fprintf(stderr, "castline: server.api_port is 0 (the API is off) in %s\n",
                     choice->describe().c_str());
        return 1;
    }
    out.port = site->server.api_port;
    out.origin = "server.api_port of " + choice->describe();
    return std::nullopt;
}

}  // namespace castline::cli
