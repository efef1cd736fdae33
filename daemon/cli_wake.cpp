// castline wake: send Wake-on-LAN now, in waves, without a running daemon.
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/duration.hpp"
#include "common/log.hpp"
#include "config/loader.hpp"
#include "daemon/cli.hpp"
#include "daemon/cli_site_config.hpp"
#include "daemon/wake_sender.hpp"

namespace castline::cli {
namespace {

constexpr const char* wake_usage =
    "usage: castline wake [--config FILE] [--interface IF] [--password SECUREON]\n"
    "                     [--count N] [--interval SECONDS] [--repeat N] [--udp-only|--raw-only]\n"
    "                     MAC|HOST|GROUP...\n"
    "  Host and group names need a site config: --config FILE, else $CASTLINE_CONFIG, else\n"
    "  /etc/castline/site.yaml if it exists; the interface defaults to the config's first one.\n"
    "  Waves: at most --count hosts (1-50, default wake.count or 4) per --interval seconds\n"
    "  (1-120, default wake.interval or 10).\n";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "castline wake: %s\n%s", message.c_str(), wake_usage);
    return 2;
}

}  // namespace

int wake_command(std::span<char*> args) {
    std::optional<std::string> config_path, count_text, interval_text, repeat_text;
    daemon::WakeOptions options;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        const auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) return std::nullopt;
            return std::string(args[++i]);
        };
        std::optional<std::string>* slot = nullptr;
        if (arg == "--config")
            slot = &config_path;
        else if (arg == "--count")
            slot = &count_text;
        else if (arg == "--interval")
            slot = &interval_text;
        else if (arg == "--repeat")
            slot = &repeat_text;
        if (slot) {
            *slot = value();
            if (!*slot) return usage_error(std::string(arg) + " needs a value");
        } else if (arg == "--interface") {
            const auto v = value();
            if (!v) return usage_error("--interface needs a value");
            options.interface = *v;
        } else if (arg == "--password") {
            const auto v = value();
            if (!v) return usage_error("--password needs a value");
            options.password = pxe::SecureOnPassword::parse(*v);
            if (!options.password)
                return usage_error("--password '" + *v +
                                   "' is not a SecureOn password, expected 4 "
                                   "bytes like 1.2.3.4 or 6 like 01:02:03:04:05:06");
        } else if (arg == "--udp-only") {
            options.raw = false;
        } else if (arg == "--raw-only") {
            options.udp = false;
        } else if (arg == "--help" || arg == "-h") {
            std::fputs(wake_usage, stdout);
            return 0;
        } else if (arg.starts_with("--")) {
            return usage_error("unknown option " + std::string(arg));
        } else {
            names.emplace_back(arg);
        }
    }
    if (names.empty()) return usage_error("name at least one MAC, host or group");
    // The lines printed below say what was sent; the sender's info lines (castlined's log)
    // would only repeat them in logfmt. Warnings and errors still show.
    log::set_level(log::Level::warn);

    std::optional<config::SiteConfig> site;
    const auto choice = choose_site_config(config_path);
    if (choice) {
        site = load_site_config(*choice);
        if (!site) return 1;
    }
    pxe::WaveLimits limits;
    if (site) limits = {site->wake.count, site->wake.interval};
    if (count_text) {
        const int n = std::atoi(count_text->c_str());
        if (n < 1 || n > 50 || std::to_string(n) != *count_text)
            return usage_error("--count " + *count_text + " is out of range, expected 1 to 50");
        limits.count = n;
    }
    if (interval_text) {
        const auto d = parse_duration(*interval_text);
        if (!d || *d < std::chrono::seconds{1} || *d > std::chrono::seconds{120})
            return usage_error("--interval " + *interval_text +
                               " is out of range, expected 1 to 120 seconds");
        limits.interval = *d;
    }
    if (repeat_text) {
        options.repeat = std::atoi(repeat_text->c_str());
        if (options.repeat < 1 || options.repeat > 20 ||
            std::to_string(options.repeat) != *repeat_text)
            return usage_error("--repeat " + *repeat_text + " is out of range, expected 1 to 20");
    }
    if (options.interface.empty() && site && !site->server.interfaces.empty())
        options.interface = site->server.interfaces.front();
    if (options.interface.empty()) return usage_error("--interface is needed without a config");

    std::vector<MacAddress> targets;
    std::map<MacAddress, std::string> host_names;  // of the targets named through the config
    for (const auto& name : names) {
        if (const auto mac = MacAddress::parse(name)) {
            targets.push_back(*mac);
            continue;
        }
        bool found = false;
        if (site) {
            for (const auto& host : site->hosts) {
                if (host.name == name || host.group == name) {
                    targets.push_back(host.mac);
                    host_names[host.mac] = host.name;
                    found = true;
                }
            }
        }
        if (!found) {
            const std::string why =
                site ? ", nor a host or group of the site config " + choice->describe()
                     : std::string(" (host and group names need a site config: --config FILE, ") +
                           site_config_variable + " or " + default_site_config + ")";
            std::fprintf(stderr, "castline wake: '%s' is not a MAC address%s\n", name.c_str(),
                         why.c_str());
            return 1;
        }
    }

    try {
        daemon::WakeSender sender(options);
        const auto plan = pxe::plan_waves(targets, limits);
        const int waves = plan.empty() ? 0 : plan.back().wave + 1;
        const auto start = std::chrono::steady_clock::now();
        int current_wave = -1;
        for (const auto& wake : plan) {
            if (wake.wave != current_wave) {
                current_wave = wake.wave;
                std::this_thread::sleep_until(start + wake.offset);
                std::printf("wave %d/%d at +%llds\n", wake.wave + 1, waves,
                            static_cast<long long>(wake.offset.count()));
            }
            const auto name = host_names.find(wake.target);
            const std::string host = name == host_names.end() ? "" : name->second;
            sender.wake(wake.target, host);
            std::printf("  woke %s%s%s via %s (broadcast %s)\n", host.c_str(),
                        host.empty() ? "" : " ", wake.target.to_string().c_str(),
                        options.interface.c_str(), sender.broadcast().to_string().c_str());
            std::fflush(stdout);
        }
        return 0;
    } catch (const daemon::WakeError& e) {
        std::fprintf(stderr, "castline wake: %s\n", e.what());
        return 1;
    }
}

}  // namespace castline::cli
