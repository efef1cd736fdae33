#include "dhcp/server.hpp"

#include <net/if.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "common/log.hpp"
#include "dhcp/captured_frame.hpp"
#include "dhcp/client_options.hpp"
#include "dhcp/interface_address.hpp"

namespace castline::dhcp {

namespace {
using boost::asio::ip::udp;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const char* mode_name(config::DhcpMode mode) {
    switch (mode) {
        case config::DhcpMode::proxy:
            return "proxy";
        case config::DhcpMode::full:
            return "full";
        case config::DhcpMode::off:
            return "off";
    }
    return "?";
}

// Compact when the journal holds more than this many superseded records per live lease.
constexpr std::size_t compaction_slack = 4096;
}  // namespace

DhcpServer::DhcpServer(boost::asio::io_context& io, config::SiteConfig config)
    : io_(io), config_(std::move(config)), proxy_(config_), full_(config_, leases_), timer_(io) {
    const auto& dir = config_.server.data_dir;
    std::filesystem::create_directories(dir);
    inventory_file_ = dir / "pxe-clients.tsv";
    std::size_t skipped = 0;
    inventory_ = pxe::ClientInventory::load(inventory_file_, &skipped);
    if (skipped)
        log::warn("dhcp_inventory_lines_skipped",
                  {{"file", inventory_file_.string()}, {"lines", skipped}});
    if (config_.dhcp.mode != config::DhcpMode::full) return;
    journal_ = std::make_unique<LeaseJournal>(dir / "dhcp-leases");
    const auto loaded = journal_->load();
    for (const auto& lease : loaded.leases) leases_.put(lease);
    if (loaded.bad_lines)
        log::warn("dhcp_lease_lines_skipped",
                  {{"file", journal_->file().string()}, {"lines", loaded.bad_lines}});
    if (!journal_->compact(leases_.all()))
        throw std::runtime_error("cannot write lease file " + journal_->file().string());
    log::info("dhcp_leases_loaded",
              {{"file", journal_->file().string()}, {"leases", leases_.size()}});
}

DhcpServer::~DhcpServer() {
    stop();
}

std::size_t DhcpServer::start() {
    std::set<std::string> interfaces(config_.server.interfaces.begin(),
                                     config_.server.interfaces.end());
    if (config_.dhcp.mode == config::DhcpMode::full)
        for (const auto& pool : config_.dhcp.pools) interfaces.insert(pool.interface);
    std::size_t served = 0;
    for (const auto& name : interfaces) {
        if (config_.dhcp.passive_discovery) open_capture(name);
        const auto network = interface_address(name);
        if (!network) {
            log::error("dhcp_interface_unusable",
                       {{"interface", name}, {"problem", "no IPv4 address"}});
            continue;
        }
        bool ok = true;
        for (std::uint16_t port : {server_port, pxe_port}) {
            auto endpoint = std::make_unique<Endpoint>(io_, name, *network, port);
            if (!open(*endpoint)) {
                ok = false;
                continue;
            }
            receive(*endpoint);
            endpoints_.push_back(std::move(endpoint));
        }
        if (ok) ++served;
        log::info("dhcp_listening", {{"interface", name},
                                     {"address", network->to_string()},
                                     {"mode", mode_name(config_.dhcp.mode)}});
    }
    tick();
    return served;
}

bool DhcpServer::open(Endpoint& e) {
    boost::system::error_code error;
    e.socket.open(udp::v4(), error);
    const int fd = e.socket.native_handle();
    const int one = 1;
    if (!error && (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, e.interface.c_str(),
                                static_cast<socklen_t>(e.interface.size())) != 0 ||
                   ::setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0 ||
                   ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0))
        error = boost::system::error_code(errno, boost::system::system_category());
    // A receive buffer deep enough for a burst of clients booting at once.
    const int buffer = 4 << 20;
    // SO_RCVBUFFORCE passes net.core.rmem_max when running as root (the usual case for port 67).
    if (!error && ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer) != 0)
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    if (!error) e.socket.bind(udp::endpoint(udp::v4(), e.port), error);
    if (error) {
        log::error("dhcp_socket_failed",
                   {{"interface", e.interface}, {"port", e.port}, {"error", error.message()}});
        return false;
    }
    return true;
}

void DhcpServer::receive(Endpoint& e) {
    // The handler may run after this server is gone (closed sockets complete later, e.g. after
    // a reload replaced it): it touches nothing unless `alive` still holds.
    e.socket.async_receive_from(
        boost::asio::buffer(e.buffer), e.sender,
        [this, &e, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& error,
                                                       std::size_t n) {
            if (alive.expired() || stopped_ || error == boost::asio::error::operation_aborted)
                return;
            if (!error) {
                handle(e, n);
                // Take what else is queued already, so one journal sync covers the batch.
                for (std::size_t i = 1; i < max_batch; ++i) {
                    // FIONREAD: the next datagram's size; then receive_from does not block.
                    boost::system::error_code more;
                    if (e.socket.available(more) == 0 || more) break;
                    const auto size =
                        e.socket.receive_from(boost::asio::buffer(e.buffer), e.sender, 0, more);
                    if (more) break;
                    handle(e, size);
                }
                commit_batch();
            }
            receive(e);
        });
}

void DhcpServer::handle(Endpoint& e, std::size_t size) {
    ++counters_.received;
    const auto decoded = decode(std::span<const std::uint8_t>(e.buffer.data(), size));
    if (!decoded.message) {
        ++counters_.malformed;
        log::debug("dhcp_malformed", {{"interface", e.interface},
                                      {"from", e.sender.address().to_string()},
                                      {"field", decoded.error->field},
                                      {"problem", decoded.error->problem}});
        return;
    }
    const auto& request = *decoded.message;
    RequestContext context;
    context.interface = e.interface;
    context.interface_network = e.network;
    context.local_port = e.port;
    context.source_address =
        Ipv4Address{static_cast<std::uint32_t>(e.sender.address().to_v4().to_uint())};
    context.source_port = e.sender.port();
    context.now = unix_now();

    std::optional<Reply> reply;
    std::string note;
    if (e.port == pxe_port || config_.dhcp.mode == config::DhcpMode::proxy) {
        auto out = proxy_.respond(request, context);
        reply = std::move(out.reply);
        note = std::move(out.note);
    } else {
        auto out = full_.respond(request, context);
        persist(out.lease_changes);
        reply = std::move(out.reply);
        note = std::move(out.note);
    }
    const auto client = describe_client(request);
    if (auto record = client_record(request, e.interface, context.now))
        record_client(std::move(*record), "socket");
    const auto type = request.type();
    const auto mac = request.mac();
    const bool boot = client.is_boot_client();
    // Boot traffic is rare and worth seeing; ordinary DORA at load stays at debug level.
    const auto level = boot ? log::Level::info : log::Level::debug;
    if (log::enabled(level)) {
        log::write(level, reply ? "dhcp_reply" : "dhcp_no_reply",
                   {{"interface", e.interface},
                    {"port", e.port},
                    {"type", type ? message_type_name(*type) : "none"},
                    {"mac", mac ? mac->to_string() : std::string("-")},
                    {"vendor_class", client.vendor_class},
                    {"note", note}});
    }
    if (!reply) {
        ++counters_.ignored;
        return;
    }
    outgoing_.push_back({&e, std::move(*reply)});
}

void DhcpServer::commit_batch() {
    // Lease changes reached the journal with write(2) in handle(); make them durable before any
    // reply that announces them leaves. A failed sync is logged and the replies still go out:
    // a failing disk should not stop the boot line (ADR 0020).
    if (journal_ && !journal_->sync())
        log::error("dhcp_lease_sync_failed", {{"file", journal_->file().string()}});
    for (const auto& out : outgoing_) send(*out.endpoint, out.reply);
    outgoing_.clear();
}

void DhcpServer::send(Endpoint& e, const Reply& reply) {
    const auto bytes = encode(reply.message);
    boost::system::error_code error;
    e.socket.send_to(
        boost::asio::buffer(bytes),
        udp::endpoint(boost::asio::ip::address_v4(reply.destination.value), reply.port), 0, error);
    if (error) {
        log::warn("dhcp_send_failed", {{"interface", e.interface},
                                       {"to", reply.destination.to_string()},
                                       {"error", error.message()}});
        return;
    }
    ++counters_.replied;
}

std::optional<Ipv4Address> DhcpServer::address_of(const MacAddress& mac, std::int64_t now) const {
    if (const auto* lease = leases_.of(mac);
        lease && lease->state == LeaseState::bound && lease->expires > now)
        return lease->address;
    if (const auto* client = inventory_.find(mac)) return client->address;
    return std::nullopt;
}

void DhcpServer::record_client(pxe::ClientRecord record, const char* source) {
    const auto logged = record;  // record() takes the record
    if (!inventory_.record(std::move(record))) return;
    log::info("pxe_client_seen",
              {{"mac", logged.mac.to_string()},
               {"arch", logged.architecture ? std::to_string(*logged.architecture) : "-"},
               {"vendor_class", logged.vendor_class},
               {"interface", logged.interface},
               {"source", source}});
}

void DhcpServer::record_address(const AddressGrant& grant, const std::string& interface,
                                std::int64_t now) {
    if (!inventory_.record_address(grant.mac, grant.address, grant.server, now)) return;
    log::info("pxe_client_address", {{"mac", grant.mac.to_string()},
                                     {"address", grant.address.to_string()},
                                     {"server", grant.server ? grant.server->to_string() : "-"},
                                     {"interface", interface}});
}

// A capture failing (no CAP_NET_RAW, an interface that is not Ethernet) costs only the
// discovery on that interface: castlined keeps serving DHCP.
void DhcpServer::open_capture(const std::string& interface) {
    auto capture = std::make_unique<PassiveCapture>(
        io_, interface,
        [this, interface](std::span<const std::uint8_t> frame) { captured(interface, frame); });
    std::string error;
    if (!capture->open(error)) {
        log::error("dhcp_capture_unusable", {{"interface", interface}, {"error", error}});
        return;
    }
    log::info("dhcp_capturing", {{"interface", interface}});
    captures_.push_back(std::move(capture));
}

void DhcpServer::captured(const std::string& interface, std::span<const std::uint8_t> frame) {
    if (stopped_) return;
    ++counters_.captured;
    const auto parsed = parse_captured_frame(frame);
    if (!parsed.dhcp) {
        ++counters_.captured_unusable;
        log::debug("dhcp_capture_unusable_frame", {{"interface", interface},
                                                   {"field", parsed.error->field},
                                                   {"problem", parsed.error->problem}});
        return;
    }
    const auto& dhcp = *parsed.dhcp;
    const auto now = unix_now();
    auto sighting = judge_sighting(dhcp.message, interface, now);
    if (sighting.client) record_client(std::move(*sighting.client), "capture");
    if (sighting.grant) record_address(*sighting.grant, interface, now);
    if (!sighting.client && !sighting.grant) {
        log::debug("dhcp_capture_ignored", {{"interface", interface},
                                            {"from", dhcp.source.to_string()},
                                            {"reason", sighting.ignored}});
    }
}

void DhcpServer::persist(const std::vector<Lease>& changes) {
    if (!journal_) return;
    for (const auto& lease : changes) {
        if (journal_->append(lease)) continue;
        log::error("dhcp_lease_write_failed",
                   {{"file", journal_->file().string()}, {"address", lease.address.to_string()}});
        // Rewrite the whole file from memory, so no partial line stays in it.
        if (!journal_->compact(leases_.all()))
            log::error("dhcp_lease_compaction_failed", {{"file", journal_->file().string()}});
        break;
    }
}

void DhcpServer::tick() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait(
        [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& error) {
            if (alive.expired() || error || stopped_) return;
            save_state();
            tick();
        });
}

void DhcpServer::save_state(bool final) {
    if (journal_) {
        if (!journal_->sync())
            log::error("dhcp_lease_sync_failed", {{"file", journal_->file().string()}});
        if ((journal_->needs_compaction() ||
             journal_->appended_since_compaction() > 2 * leases_.size() + compaction_slack) &&
            !journal_->compact(leases_.all()))
            log::error("dhcp_lease_compaction_failed", {{"file", journal_->file().string()}});
    }
    if (inventory_.evicted() > evictions_logged_) {
        log::warn("pxe_inventory_full", {{"max_clients", inventory_.max_clients()},
                                         {"evicted", inventory_.evicted() - evictions_logged_}});
        evictions_logged_ = inventory_.evicted();
    }
    // New clients and facts are saved within a second; mere last-seen times once a minute, so
    // a client (or a flood) repeating itself does not rewrite the file every second.
    const auto now = std::chrono::steady_clock::now();
    const bool times_due =
        inventory_.times_unsaved() && (final || now - inventory_saved_ >= inventory_times_interval);
    if (inventory_.dirty() || times_due) {
        if (inventory_.save(inventory_file_))
            inventory_saved_ = now;
        else
            log::error("pxe_inventory_write_failed", {{"file", inventory_file_.string()}});
    }
}

void DhcpServer::stop() {
    if (stopped_) return;
    stopped_ = true;
    timer_.cancel();
    for (auto& e : endpoints_) {
        boost::system::error_code ignored;
        e->socket.close(ignored);
    }
    captures_.clear();
    save_state(true);
}

}  // namespace castline::dhcp
