// castlined: the provisioning daemon. Usage: castlined --config FILE
#include <cstdio>
#include <exception>
#include <string_view>

#include "common/log.hpp"
#include "config/loader.hpp"
#include "daemon/daemon.hpp"

namespace {
constexpr const char* usage =
    "usage: castlined --config FILE [--log-level error|warn|info|debug]\n";
}

int main(int argc, char** argv) {
    std::string_view config_path;
    std::optional<castline::log::Level> level;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            config_path = argv[++i];
        } else if (arg == "--log-level" && i + 1 < argc) {
            level = castline::log::parse_level(argv[++i]);
            if (!level) {
                std::fprintf(stderr, "castlined: --log-level: unknown level '%s'\n%s", argv[i],
                             usage);
                return 2;
            }
        } else if (arg == "--help" || arg == "-h") {
            std::fputs(usage, stdout);
            return 0;
        } else {
            std::fprintf(stderr, "castlined: unknown argument '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    if (config_path.empty()) {
        std::fputs(usage, stderr);
        return 2;
    }
    auto result = castline::config::load_file(config_path);
    castline::daemon::log_config_warnings(result.warnings);
    if (result.ok()) result.diagnostics = castline::config::check_machine(*result.config);
    if (!result.diagnostics.empty()) {
        for (const auto& d : result.diagnostics)
            std::fprintf(stderr, "%s\n", d.to_string().c_str());
        std::fprintf(stderr, "castlined: not starting: %zu error(s) in %s\n",
                     result.diagnostics.size(), std::string(config_path).c_str());
        return 1;
    }
    try {
        if (level) result.config->server.log_level = *level;
        castline::daemon::Daemon daemon(std::filesystem::path(config_path),
                                        std::move(*result.config));
        return daemon.run();
    } catch (const std::exception& e) {
        castline::log::error("fatal", {{"error", e.what()}});
        return 1;
    }
}
