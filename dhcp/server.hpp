#pragma once
// The DHCP server: UDP sockets on 67 and 4011 for each interface, around the pure responders.
// One io_context, no threads. Each socket is tied to its interface (SO_BINDTODEVICE), so the
// arrival interface is known and replies leave through it; broadcasts go to 255.255.255.255.
// Requests are handled in batches (what is queued on a socket, up to max_batch): the lease
// changes of a batch are appended to the journal and fdatasynced once, and only then are its
// replies sent, so an ACK never announces a lease a power cut could lose (ADR 0020).
// With dhcp.passive_discovery, also a libpcap capture per interface that feeds every DHCP packet
// on the segment (other servers' answers too) into the PXE client inventory; it never replies.
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/site_config.hpp"
#include "dhcp/full_responder.hpp"
#include "dhcp/lease_journal.hpp"
#include "dhcp/lease_table.hpp"
#include "dhcp/passive_capture.hpp"
#include "dhcp/passive_sighting.hpp"
#include "dhcp/proxy_responder.hpp"
#include "pxe/client_inventory.hpp"

namespace castline::dhcp {

class DhcpServer {
  public:
    // Loads leases (full mode) and the client inventory from config.server.data_dir.
    DhcpServer(boost::asio::io_context& io, config::SiteConfig config);
    ~DhcpServer();
    DhcpServer(const DhcpServer&) = delete;
    DhcpServer& operator=(const DhcpServer&) = delete;

    // Opens the sockets; returns how many interfaces are served. Problems are logged.
    std::size_t start();
    // Closes the sockets and saves state.
    void stop();

    struct Counters {
        std::uint64_t received = 0;
        std::uint64_t malformed = 0;
        std::uint64_t replied = 0;
        std::uint64_t ignored = 0;
        std::uint64_t captured = 0;           // frames from the passive capture
        std::uint64_t captured_unusable = 0;  // of those, refused by parse_captured_frame
    };
    const Counters& counters() const { return counters_; }

    // Requests handled per journal sync at most; bounds the latency a burst adds.
    static constexpr std::size_t max_batch = 64;
    // How often an inventory whose only change is last-seen times is saved (and at stop).
    static constexpr std::chrono::seconds inventory_times_interval{60};
    // The address `mac` holds as far as DHCP shows: its bound, unexpired lease (full mode), else
    // the address a server was seen to acknowledge for it (the PXE client inventory, proxy mode
    // with passive discovery). Read-only; for binding job tokens to their host.
    std::optional<Ipv4Address> address_of(const MacAddress& mac, std::int64_t now) const;

  private:
    struct Endpoint {
        std::string interface;
        Ipv4Network network;
        std::uint16_t port;
        boost::asio::ip::udp::socket socket;
        boost::asio::ip::udp::endpoint sender;
        std::array<std::uint8_t, 4096> buffer{};
        Endpoint(boost::asio::io_context& io, std::string i, Ipv4Network n, std::uint16_t p)
            : interface(std::move(i)), network(n), port(p), socket(io) {}
    };

    bool open(Endpoint& endpoint);
    void receive(Endpoint& endpoint);
    void handle(Endpoint& endpoint, std::size_t size);
    // Syncs the journal, then sends the replies of the batch.
    void commit_batch();
    void send(Endpoint& endpoint, const Reply& reply);
    void record_client(pxe::ClientRecord record, const char* source);
    // The address a client was seen to take (passive_sighting.hpp), for a client already known.
    void record_address(const AddressGrant& grant, const std::string& interface, std::int64_t now);
    void open_capture(const std::string& interface);
    void captured(const std::string& interface, std::span<const std::uint8_t> frame);
    void persist(const std::vector<Lease>& changes);
    void tick();
    void save_state(bool final = false);

    boost::asio::io_context& io_;
    config::SiteConfig config_;
    LeaseTable leases_;
    std::unique_ptr<LeaseJournal> journal_;  // full mode only
    ProxyDhcpResponder proxy_;
    FullDhcpResponder full_;
    pxe::ClientInventory inventory_;
    std::filesystem::path inventory_file_;
    std::chrono::steady_clock::time_point inventory_saved_ = std::chrono::steady_clock::now();
    std::size_t evictions_logged_ = 0;
    struct Outgoing {
        Endpoint* endpoint;
        Reply reply;
    };
    std::vector<Outgoing> outgoing_;  // replies of the batch being handled
    std::vector<std::unique_ptr<Endpoint>> endpoints_;
    std::vector<std::unique_ptr<PassiveCapture>> captures_;
    boost::asio::steady_timer timer_;
    Counters counters_;
    bool stopped_ = false;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace castline::dhcp
