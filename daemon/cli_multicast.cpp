// castline multicast send: runs one session from the command line and exits with its result.
#include <boost/asio.hpp>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/duration.hpp"
#include "common/ipv4_address.hpp"
#include "common/log.hpp"
#include "common/multicast_defaults.hpp"
#include "daemon/cli.hpp"
#include "imagecast/image_chunk_source.hpp"
#include "multicast/auth.hpp"
#include "multicast/control.hpp"
#include "multicast/file_chunks.hpp"
#include "multicast/resolver.hpp"
#include "multicast/sender.hpp"
#include "multicast/session_address.hpp"

namespace castline::cli {
namespace {

namespace mc = castline::multicast;

constexpr const char* usage =
    "usage: castline multicast send (--file F | --image IMG) --session NAME [options]\n"
    "  --password-file F        first line is the session password (default: open session)\n"
    "  --image-password-file F  the password of an encrypted --image (reads its chunk table)\n"
    "  --clients N              start when N receivers have joined\n"
    "  --min-clients N --max-wait S   start when N have joined and S seconds have passed\n"
    "  --manual                 start only by the 'start' command (with --interactive)\n"
    "  --max-clients N          refuse receivers beyond N\n"
    "  --address A --port P     multicast group and UDP port (default 239.198.10.10, chosen)\n"
    "  --control-port P         TCP control port (default: chosen)\n"
    "  --resolver-port P        session name resolver port (default 31527, 0: none)\n"
    "  --bind A                 address for the control and resolver ports (default: the\n"
    "                           control port on --interface's address, the resolver on all)\n"
    "  --interface IF           interface that carries the group\n"
    "  --packet-size B          UDP payload bytes per datagram (default 1472)\n"
    "  --rate MBIT              fixed rate; default: controlled by receivers' reports\n"
    "  --ttl N                  multicast TTL (default 1)\n"
    "  --chunk-size SIZE        chunk size for --file (default 1MiB)\n"
    "  --constantcast           receivers may join after the start\n"
    "  --time-limit S           after S seconds of sending apply --late-policy\n"
    "  --late-policy P          wait | unicast | drop (default wait)\n"
    "  --success N|P%           receivers that must finish for success (default 100%)\n"
    "  --give-up S              end the session after S seconds whatever its state\n"
    "  --interactive            read commands on stdin: start, pause, resume, drop ID, list\n"
    "  --log-level L            error | warn | info | debug (default info)\n"
    "exit: 0 the session succeeded, 1 it did not (summary on stderr), 2 usage\n";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "castline multicast send: %s\n%s", message.c_str(), usage);
    return 2;
}

template <class Int>
std::optional<Int> parse_int(std::string_view s, Int low, Int high) {
    Int v{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v < low || v > high)
        return std::nullopt;
    return v;
}

void print_clients(const mc::Sender& sender, std::FILE* out) {
    std::fprintf(out, "%-4s %-20s %-16s %-10s %8s %10s %7s  %s\n", "id", "name", "peer", "state",
                 "progress", "rate_mbit", "loss", "reason");
    for (const auto& c : sender.clients())
        std::fprintf(out, "%-4u %-20s %-16s %-10s %7.1f%% %10.1f %6.2f%%  %s\n", c.id,
                     c.name.c_str(), c.peer.c_str(), c.state.c_str(), c.progress * 100, c.rate_mbit,
                     c.loss * 100, c.reason.c_str());
}

// Reads operator commands line by line from stdin without blocking the session.
class CommandReader {
  public:
    CommandReader(boost::asio::io_context& io, mc::Sender& sender)
        : input_(io, ::dup(0)), sender_(sender) {
        read();
    }

  private:
    void read() {
        boost::asio::async_read_until(input_, buffer_, '\n',
                                      [this](boost::system::error_code ec, std::size_t) {
                                          if (ec) return;
                                          std::istream in(&buffer_);
                                          std::string line;
                                          std::getline(in, line);
                                          run(line);
                                          if (!sender_.finished()) read();
                                      });
    }
    void run(const std::string& line) {
        if (line == "start") {
            switch (sender_.start_by_hand()) {
                case mc::ManualStart::nobody_joined:
                    std::fprintf(stderr, "no clients have joined, nothing to start\n");
                    break;
                case mc::ManualStart::not_waiting:
                    std::fprintf(stderr, "the session is not waiting to start\n");
                    break;
                case mc::ManualStart::start:
                    break;
            }
        } else if (line == "pause")
            sender_.pause();
        else if (line == "resume")
            sender_.resume();
        else if (line == "list")
            print_clients(sender_, stdout);
        else if (line.starts_with("drop ")) {
            const auto id =
                parse_int<std::uint32_t>(std::string_view(line).substr(5), 1, UINT32_MAX);
            if (!id || !sender_.drop(*id))
                std::fprintf(stderr, "no active client '%s'\n", line.substr(5).c_str());
        } else if (!line.empty())
            std::fprintf(stderr, "unknown command '%s' (start, pause, resume, drop ID, list)\n",
                         line.c_str());
        std::fflush(stdout);
    }
    boost::asio::posix::stream_descriptor input_;
    boost::asio::streambuf buffer_;
    mc::Sender& sender_;
};

int send_command(std::span<char*> args) {
    mc::SenderSettings s;
    std::string file, image, password_file, image_password_file;
    std::uint32_t chunk_size = 1u << 20;
    std::uint16_t resolver_port = multicast_defaults::resolver_port;
    bool interactive = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        auto flag = [&](std::string_view name) { return arg == name; };
        if (flag("--constantcast")) {
            s.constantcast = true;
            continue;
        }
        if (flag("--manual")) {
            s.start.manual = true;
            continue;
        }
        if (flag("--interactive")) {
            interactive = true;
            continue;
        }
        if (flag("--help") || flag("-h")) {
            std::fputs(usage, stdout);
            return 0;
        }
        if (i + 1 >= args.size()) return usage_error("missing value for " + std::string(arg));
        const std::string v = args[++i];
        auto bad = [&]() { return usage_error(std::string(arg) + ": '" + v + "' is not valid"); };
        if (flag("--file"))
            file = v;
        else if (flag("--image"))
            image = v;
        else if (flag("--session"))
            s.session_name = v;
        else if (flag("--password-file"))
            password_file = v;
        else if (flag("--image-password-file"))
            image_password_file = v;
        else if (flag("--clients")) {
            auto n = parse_int(v, 1, 100000);
            if (!n) return bad();
            s.start.clients = *n;
        } else if (flag("--min-clients")) {
            auto n = parse_int(v, 1, 100000);
            if (!n) return bad();
            s.start.min_clients = *n;
        } else if (flag("--max-clients")) {
            auto n = parse_int(v, 1, 100000);
            if (!n) return bad();
            s.max_clients = *n;
        } else if (flag("--max-wait")) {
            auto d = parse_duration(v);
            if (!d) return bad();
            s.start.max_wait = *d;
        } else if (flag("--address")) {
            auto a = Ipv4Address::parse(v);
            if (!a || (a->value >> 28) != 0xE)
                return usage_error("--address: '" + v + "' is not an IPv4 multicast group");
            s.group = *a;
        } else if (flag("--bind")) {
            auto a = Ipv4Address::parse(v);
            if (!a) return bad();
            s.bind_address = *a;
        } else if (flag("--port")) {
            auto n = parse_int<std::uint16_t>(v, 1, 65535);
            if (!n) return bad();
            s.data_port = *n;
        } else if (flag("--control-port")) {
            auto n = parse_int<std::uint16_t>(v, 1, 65535);
            if (!n) return bad();
            s.control_port = *n;
        } else if (flag("--resolver-port")) {
            auto n = parse_int<std::uint16_t>(v, 0, 65535);
            if (!n) return bad();
            resolver_port = *n;
        } else if (flag("--interface"))
            s.interface = v;
        else if (flag("--packet-size")) {
            auto n = parse_int<std::uint32_t>(v, 128, 65000);
            if (!n) return bad();
            s.packet_size = *n;
        } else if (flag("--rate")) {
            double r = 0;
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), r);
            if (ec != std::errc{} || end != v.data() + v.size() || r <= 0 || r > 100000)
                return bad();
            s.rate_mbit = r;
        } else if (flag("--ttl")) {
            auto n = parse_int(v, 1, 255);
            if (!n) return bad();
            s.ttl = *n;
        } else if (flag("--chunk-size")) {
            auto n = parse_size(v);
            if (!n || *n < 4096 || *n > mc::max_chunk_size) return bad();
            chunk_size = static_cast<std::uint32_t>(*n);
        } else if (flag("--time-limit")) {
            auto d = parse_duration(v);
            if (!d) return bad();
            s.time_limit = *d;
        } else if (flag("--give-up")) {
            auto d = parse_duration(v);
            if (!d) return bad();
            s.give_up = *d;
        } else if (flag("--late-policy")) {
            if (v == "wait")
                s.late_policy = mc::LatePolicy::wait;
            else if (v == "unicast")
                s.late_policy = mc::LatePolicy::unicast;
            else if (v == "drop")
                s.late_policy = mc::LatePolicy::drop;
            else
                return bad();
        } else if (flag("--success")) {
            auto t = mc::SuccessThreshold::parse(v);
            if (!t) return bad();
            s.success = *t;
        } else if (flag("--log-level")) {
            auto l = log::parse_level(v);
            if (!l) return bad();
            log::set_level(*l);
        } else if (flag("--pbkdf2-iterations")) {
            auto n = parse_int<std::uint32_t>(v, mc::min_pbkdf2_iterations, 10'000'000);
            if (!n) return bad();
            s.pbkdf2_iterations = *n;
        } else
            return usage_error("unknown option " + std::string(arg));
    }
    if (file.empty() == image.empty() || s.session_name.empty())
        return usage_error("--session and one of --file or --image are required");
    if (!image_password_file.empty() && image.empty())
        return usage_error("--image-password-file goes with --image");
    if (s.session_name.size() > mc::max_name_length)
        return usage_error("--session: longer than 255 bytes");
    if (s.start.min_clients > 0 && s.start.max_wait.count() == 0)
        return usage_error("--min-clients needs --max-wait");
    if (s.start.manual && !interactive) return usage_error("--manual needs --interactive");
    try {
        if (!password_file.empty()) s.password = mc::read_password_file(password_file);
        boost::asio::io_context io;
        // The resolver is bound first, before the source is read and hashed and the session's
        // key derived: a query that arrives meanwhile waits in the socket and is answered when
        // the session is added, where before the bind it would be lost and the receiver would
        // ask again only 0.1 s later.
        std::unique_ptr<mc::SessionResolver> resolver;
        if (resolver_port != 0) {
            try {
                resolver = std::make_unique<mc::SessionResolver>(
                    io, boost::asio::ip::address_v4(s.bind_address.value), resolver_port);
            } catch (const boost::system::system_error& e) {
                log::warn("resolver_unavailable", {{"port", resolver_port}, {"error", e.what()}});
            }
        }
        std::unique_ptr<mc::ChunkSource> source;
        if (!image.empty()) {
            std::optional<std::string> image_password;
            if (!image_password_file.empty())
                image_password = mc::read_password_file(image_password_file);
            source = std::make_unique<imagecast::ImageChunkSource>(image, image_password);
        } else {
            source = std::make_unique<mc::FileChunkSource>(file, chunk_size);
        }
        mc::Sender sender(io, s, *source);
        sender.open();
        if (resolver)
            resolver->add(
                {s.session_name, sender.control_port(), s.group.value, sender.data_port()});
        std::unique_ptr<CommandReader> commands;
        if (interactive) commands = std::make_unique<CommandReader>(io, sender);
        boost::asio::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&](boost::system::error_code ec, int) {
            if (!ec) sender.stop("interrupted");
        });
        std::printf("session %s control_port %u data_port %u\n", s.session_name.c_str(),
                    sender.control_port(), sender.data_port());
        std::fflush(stdout);
        sender.set_on_finished([&] {
            signals.cancel();
            if (resolver) resolver->close();
            io.stop();
        });
        io.run();
        const auto result = sender.result();
        print_clients(sender, stdout);
        std::fprintf(result.success ? stdout : stderr, "castline multicast send: %s: %s\n",
                     result.success ? "success" : "FAILED", result.summary.c_str());
        std::printf("bytes_sent %llu\n", static_cast<unsigned long long>(sender.bytes_sent()));
        return result.success ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "castline multicast send: %s\n", e.what());
        return 1;
    }
}

}  // namespace

int multicast_command(std::span<char*> args) {
    if (!args.empty() && std::string_view(args[0]) == "send") return send_command(args.subspan(1));
    std::fputs(usage, stderr);
    return 2;
}

}  // namespace castline::cli
