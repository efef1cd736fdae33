// castline-mcast-receive: joins a multicast session and writes what it receives into a file.
// The imager will fold this into `castline-imager restore --session`.
#include <unistd.h>

#include <boost/asio.hpp>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>

#include "common/duration.hpp"
#include "common/log.hpp"
#include "multicast/auth.hpp"
#include "multicast/file_chunks.hpp"
#include "multicast/receiver.hpp"
#include "multicast/session_address.hpp"

namespace {
constexpr const char* usage =
    "usage: castline-mcast-receive --session ADDRESS --target PATH [--password-file F]\n"
    "                              [--interface IF] [--name NAME] [--timeout SECONDS] [--memory "
    "MIB]\n"
    "                              [--find-timeout SECONDS] [--log-level L] [--no-sync]\n"
    "  --no-sync: do not fsync the target before reporting done (benchmarks against peers that do "
    "not)\n"
    "  ADDRESS: castline://SERVER[:RESOLVERPORT]/NAME or "
    "\\\\\\SERVER[:RESOLVERPORT]*TCPPORT*NAME*PASSWORD\n"
    "exit: 0 done, 1 failed, 2 usage, 3 refused, 4 dropped, 5 session not found, 6 timeout\n";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "castline-mcast-receive: %s\n%s", message.c_str(), usage);
    return 2;
}
}  // namespace

int main(int argc, char** argv) {
    using namespace castline::multicast;
    std::string session, target, password_file;
    ReceiverSettings settings;
    bool sync = true;
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    settings.client_name = host;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--no-sync") {
            sync = false;
            continue;
        }
        if (arg == "--help" || arg == "-h") {
            std::fputs(usage, stdout);
            return 0;
        }
        if (i + 1 >= argc) return usage_error("missing value for " + std::string(arg));
        const std::string value = argv[++i];
        if (arg == "--session")
            session = value;
        else if (arg == "--target")
            target = value;
        else if (arg == "--password-file")
            password_file = value;
        else if (arg == "--interface")
            settings.interface = value;
        else if (arg == "--name")
            settings.client_name = value;
        else if (arg == "--timeout") {
            const auto d = castline::parse_duration(value);
            if (!d) return usage_error("--timeout: '" + value + "' is not a duration");
            settings.timeout = *d;
        } else if (arg == "--find-timeout") {
            const auto d = castline::parse_duration(value);
            if (!d || d->count() == 0)
                return usage_error("--find-timeout: '" + value + "' is not a positive duration");
            settings.find_timeout = *d;
        } else if (arg == "--log-level") {
            const auto level = castline::log::parse_level(value);
            if (!level)
                return usage_error("--log-level: '" + value +
                                   "' is not error, warn, info or debug");
            castline::log::set_level(*level);
        } else if (arg == "--memory") {
            std::size_t mib = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), mib);
            if (ec != std::errc{} || end != value.data() + value.size() || mib < 4 ||
                mib > 1u << 20)
                return usage_error("--memory: '" + value + "' is not 4..1048576 MiB");
            settings.memory_limit = mib << 20;
        } else
            return usage_error("unknown option " + std::string(arg));
    }
    if (session.empty() || target.empty())
        return usage_error("--session and --target are required");
    auto parsed = parse_session_address(session);
    if (auto* e = std::get_if<AddressError>(&parsed)) return usage_error("--session: " + e->reason);
    settings.address = std::get<SessionAddress>(parsed);
    try {
        if (!password_file.empty())
            settings.password = read_password_file(password_file);
        else if (settings.address.password)
            settings.password = *settings.address.password;
    } catch (const std::exception& e) {
        return usage_error(e.what());
    }
    boost::asio::io_context io;
    FileChunkSink sink(target, sync);
    Receiver receiver(io, settings, sink);
    receiver.start();
    io.run();
    const auto outcome = receiver.outcome();
    std::fprintf(outcome == ReceiveOutcome::done ? stdout : stderr, "castline-mcast-receive: %s\n",
                 receiver.summary().c_str());
    return static_cast<int>(outcome);
}
