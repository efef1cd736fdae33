// castline config check FILE...: judges site configs alone, as any machine sees them; what only
// the serving machine can tell (interfaces, subnets) is castlined's check at start and reload.
#include <cstdio>
#include <string_view>

#include "common/plural.hpp"
#include "config/loader.hpp"
#include "daemon/cli.hpp"

namespace castline::cli {

int config_command(std::span<char*> args) {
    if (args.size() < 2 || std::string_view(args[0]) != "check") {
        std::fputs("usage: castline config check FILE...\n", stderr);
        return 2;
    }
    std::size_t errors = 0;
    for (char* file : args.subspan(1)) {
        const auto result = config::load_file(file);
        for (const auto& d : result.diagnostics)
            std::fprintf(stderr, "%s\n", d.to_string().c_str());
        for (const auto& w : result.warnings) std::fprintf(stderr, "%s\n", w.to_string().c_str());
        errors += result.diagnostics.size();
        if (result.ok())
            std::printf(
                "%s: ok (%s, %s)\n", file,
                count_of(static_cast<long long>(result.config->hosts.size()), "host", "hosts")
                    .c_str(),
                count_of(static_cast<long long>(result.warnings.size()), "warning", "warnings")
                    .c_str());
        else
            std::fprintf(
                stderr, "%s: %s\n", file,
                count_of(static_cast<long long>(result.diagnostics.size()), "error", "errors")
                    .c_str());
    }
    return errors == 0 ? 0 : 1;
}

}  // namespace castline::cli
