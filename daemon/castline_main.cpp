// castline: the operator's command line.
#include <cstdio>
#include <span>
#include <string_view>

#include "daemon/cli.hpp"

namespace {
constexpr const char* usage =
    "usage: castline COMMAND ...\n"
    "commands:\n"
    "  config check FILE...   validate site configs; exit 0 if valid, 1 with errors on stderr\n"
    "  multicast send ...     run one multicast session (see castline multicast send --help)\n";
}

int main(int argc, char** argv) {
    const std::span<char*> args(argv + 1, static_cast<std::size_t>(argc - 1));
    if (args.empty()) {
        std::fputs(usage, stderr);
        return 2;
    }
    const std::string_view command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(usage, stdout);
        return 0;
    }
    if (command == "config") return castline::cli::config_command(args.subspan(1));
    if (command == "multicast") return castline::cli::multicast_command(args.subspan(1));
    std::fprintf(stderr, "castline: unknown command '%s'\n%s", args[0], usage);
    return 2;
}
