// castline-dhcp-lab: runs castline's DhcpServer (the same class castlined runs) from command-line
// settings, for the lab tests and the benchmark while the YAML loader does not yet read the
// dhcp/hosts sections. Usage:
//   castline-dhcp-lab --data-dir D --mode full|proxy --interface IF
//       [--pool IF,FIRST,LAST,ROUTER,LEASE_SECONDS] [--host MAC[,ADDRESS]]
//       [--unknown-hosts ignore|local] [--authoritative] [--log-level L]
// Stops on SIGTERM/SIGINT.
#include <unistd.h>

#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "dhcp/server.hpp"

namespace {
std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string part;
    while (std::getline(in, part, ',')) out.push_back(part);
    return out;
}
[[noreturn]] void usage(const std::string& problem) {
    std::fprintf(stderr, "castline-dhcp-lab: %s\n", problem.c_str());
    std::exit(2);
}
}  // namespace

int main(int argc, char** argv) {
    using namespace castline;
    config::SiteConfig site;
    site.boot.unknown_hosts = config::UnknownHostPolicy::local;
    config::Group lab;
    lab.name = "lab";
    lab.action = config::HostAction::image;
    site.groups["lab"] = lab;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--data-dir") {
            site.server.data_dir = value();
        } else if (arg == "--mode") {
            const auto m = value();
            site.dhcp.mode = m == "full" ? config::DhcpMode::full : config::DhcpMode::proxy;
        } else if (arg == "--interface") {
            site.server.interfaces.push_back(value());
        } else if (arg == "--pool") {
            const auto p = split(value());
            if (p.size() != 5) usage("--pool IF,FIRST,LAST,ROUTER,LEASE_SECONDS");
            config::DhcpPool pool;
            pool.interface = p[0];
            pool.first = *Ipv4Address::parse(p[1]);
            pool.last = *Ipv4Address::parse(p[2]);
            pool.router = Ipv4Address::parse(p[3]);
            pool.lease_time = std::chrono::seconds(std::stol(p[4]));
            site.dhcp.pools.push_back(pool);
        } else if (arg == "--host") {
            const auto h = split(value());
            config::Host host;
            const auto mac = MacAddress::parse(h.at(0));
            if (!mac) usage("bad MAC " + h[0]);
            host.mac = *mac;
            host.name = "host" + std::to_string(site.hosts.size() + 1);
            host.group = "lab";
            if (h.size() > 1) host.address = Ipv4Address::parse(h[1]);
            site.hosts.push_back(host);
        } else if (arg == "--unknown-hosts") {
            site.boot.unknown_hosts = value() == "ignore" ? config::UnknownHostPolicy::ignore
                                                          : config::UnknownHostPolicy::local;
        } else if (arg == "--authoritative") {
            site.dhcp.authoritative = true;
        } else if (arg == "--log-level") {
            log::set_level(log::parse_level(value()).value_or(log::Level::info));
        } else {
            usage("unknown argument " + arg);
        }
    }
    boost::asio::io_context io;
    dhcp::DhcpServer server(io, site);
    if (server.start() == 0) {
        log::error("dhcp_lab_no_interfaces");
        return 1;
    }
    boost::asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code&, int) {
        server.stop();
        io.stop();
    });
    // Printed at any log level: tests and the benchmark wait for it.
    std::fprintf(stderr, "castline-dhcp-lab: event=started pid=%ld\n",
                 static_cast<long>(::getpid()));
    io.run();
    const auto& c = server.counters();
    log::info("stopped", {{"received", c.received},
                          {"malformed", c.malformed},
                          {"replied", c.replied},
                          {"ignored", c.ignored}});
    return 0;
}
