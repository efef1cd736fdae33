// castline: the operator's command line.
#include <unistd.h>

#include <cstdio>
#include <span>
#include <string_view>

#include "bootmedia/bootmedia_command.hpp"
#include "common/log.hpp"
#include "common/log_style.hpp"
#include "daemon/cli.hpp"

namespace {
constexpr const char* usage =
    "usage: castline COMMAND ...\n"
    "commands:\n"
    "  config check FILE...   validate site configs; exit 0 if valid, 1 with errors on stderr\n"
    "  wake MAC|HOST|GROUP... send Wake-on-LAN now, in waves (see castline wake --help)\n"
    "  bootmedia build --output DIR\n"
    "                         build the imaging vmlinuz and initramfs from Debian packages\n"
    "  rollout start|status|cancel NAME   drive a rollout through castlined\n"
    "  history [HOST|MAC]     per-host results of past rollouts\n"
    "  session list|start|pause|resume|drop   castlined's multicast sessions and their clients\n"
    "  jobs [HOST|MAC]        imaging jobs with their state and progress\n"
    "  reimage HOST|MAC...    image these hosts again on their next PXE boot\n"
    "  multicast send ...     run one multicast session (see castline multicast send --help)\n";
}

int main(int argc, char** argv) {
    const std::span<char*> args(argv + 1, static_cast<std::size_t>(argc - 1));
    if (args.empty()) {
        std::fputs(usage, stderr);
        return 2;
    }
    // A person at a terminal reads the log lines of these commands (castline multicast send,
    // the warnings of the others) as "12:00:01 warn: event key=value"; piped, they stay logfmt.
    castline::log::set_style(castline::log::style_for(STDERR_FILENO));
    const std::string_view command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(usage, stdout);
        return 0;
    }
    if (command == "config") return castline::cli::config_command(args.subspan(1));
    if (command == "wake") return castline::cli::wake_command(args.subspan(1));
    if (command == "bootmedia") return castline::bootmedia::bootmedia_command(args.subspan(1));
    if (command == "rollout") return castline::cli::rollout_command(args.subspan(1));
    if (command == "history") return castline::cli::history_command(args.subspan(1));
    if (command == "session") return castline::cli::session_command(args.subspan(1));
    if (command == "jobs") return castline::cli::jobs_command(args.subspan(1));
    if (command == "reimage") return castline::cli::reimage_command(args.subspan(1));
    if (command == "multicast") return castline::cli::multicast_command(args.subspan(1));
    std::fprintf(stderr, "castline: unknown command '%s'\n%s", args[0], usage);
    return 2;
}
