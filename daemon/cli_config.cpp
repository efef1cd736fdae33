#include <cstdio>
#include <string_view>

#include "config/loader.hpp"
#include "daemon/cli.hpp"

namespace castline::cli {

int config_command(std::span<char*> args) {
    if (args.empty() || std::string_view(args[0]) != "check" || args.size() < 2) {
        std::fputs("usage: castline config check FILE...\n", stderr);
        return 2;
    }
    int errors = 0;
    for (char* file : args.subspan(1)) {
        const auto result = config::load_file(file);
        for (const auto& d : result.diagnostics)
            std::fprintf(stderr, "%s\n", d.to_string().c_str());
        errors += static_cast<int>(result.diagnostics.size());
        if (result.ok()) std::printf("%s: ok\n", file);
    }
    return errors == 0 ? 0 : 1;
}

}  // namespace castline::cli
