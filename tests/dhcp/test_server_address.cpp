// DhcpServer::address_of, the read-only answer job tokens are bound by (docs/jobs.md, "Who gets a
// token"): a bound, unexpired lease in full mode; else the address a server was seen to
// acknowledge (the PXE client inventory of proxy mode).
#include <doctest/doctest.h>

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>

#include "dhcp/lease_journal.hpp"
#include "dhcp/server.hpp"

using namespace castline;
using namespace castline::dhcp;

namespace {
struct TempDir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("castline-address-" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
};
MacAddress mac(const char* text) {
    return *MacAddress::parse(text);
}
Ipv4Address ip(const char* text) {
    return *Ipv4Address::parse(text);
}
}  // namespace

TEST_CASE("full mode: a bound lease that has not expired; offers, releases, expiry do not count") {
    TempDir dir;
    constexpr std::int64_t now = 1790000000;
    {
        LeaseJournal journal(dir.path / "dhcp-leases");
        REQUIRE(journal.compact({
            {ip("198.18.0.100"), mac("52:54:00:00:00:01"), LeaseState::bound, now + 60},
            {ip("198.18.0.101"), mac("52:54:00:00:00:02"), LeaseState::bound, now - 1},
            {ip("198.18.0.102"), mac("52:54:00:00:00:03"), LeaseState::released, now + 60},
        }));
    }
    config::SiteConfig config;
    config.server.data_dir = dir.path;
    config.dhcp.mode = config::DhcpMode::full;
    boost::asio::io_context io;
    DhcpServer server(io, config);
    CHECK(server.address_of(mac("52:54:00:00:00:01"), now) == ip("198.18.0.100"));
    CHECK_FALSE(server.address_of(mac("52:54:00:00:00:02"), now));
    CHECK_FALSE(server.address_of(mac("52:54:00:00:00:03"), now));
    CHECK_FALSE(server.address_of(mac("52:54:00:00:00:09"), now));
}

TEST_CASE("proxy mode: the address a DHCP server acknowledged for a PXE client") {
    TempDir dir;
    {
        pxe::ClientInventory inventory;
        inventory.record({.mac = mac("52:54:00:00:00:01"), .interface = "br0", .last_seen = 5});
        inventory.record({.mac = mac("52:54:00:00:00:02"), .interface = "br0", .last_seen = 5});
        inventory.record_address(mac("52:54:00:00:00:01"), ip("198.18.0.160"), ip("198.18.0.2"), 6);
        REQUIRE(inventory.save(dir.path / "pxe-clients.tsv"));
    }
    config::SiteConfig config;
    config.server.data_dir = dir.path;
    config.dhcp.mode = config::DhcpMode::proxy;
    boost::asio::io_context io;
    DhcpServer server(io, config);
    CHECK(server.address_of(mac("52:54:00:00:00:01"), 10) == ip("198.18.0.160"));
    CHECK_FALSE(server.address_of(mac("52:54:00:00:00:02"), 10));  // seen, address unknown
    CHECK_FALSE(server.address_of(mac("52:54:00:00:00:03"), 10));
}
