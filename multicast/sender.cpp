#include "multicast/sender.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>
#include <deque>
#include <map>
#include <random>
#include <stdexcept>

#include "common/log.hpp"
#include "common/plural.hpp"
#include "multicast/auth.hpp"
#include "multicast/control.hpp"
#include "multicast/datagram.hpp"
#include "multicast/handshake.hpp"
#include "multicast/interface_address.hpp"
#include "multicast/rate_controller.hpp"
#include "multicast/repair_planner.hpp"
#include "multicast/symbol_feeder.hpp"

namespace castline::multicast {

using boost::asio::ip::tcp;
using boost::asio::ip::udp;
using Clock = std::chrono::steady_clock;

namespace {

// Frames before authentication are tiny; a peer that claims more is not a receiver.
constexpr std::uint32_t max_unauthenticated_frame = 4096;
constexpr auto tick = std::chrono::milliseconds(1);
constexpr auto housekeeping_interval = std::chrono::milliseconds(100);
// New chunks go out in passes of about this much sending time (see RepairPlanner::plan).
constexpr auto pass_window = std::chrono::milliseconds(200);
constexpr auto max_catch_up = std::chrono::milliseconds(25);
// What a link carries per datagram besides it: UDP, IPv4 and Ethernet headers. The rate and
// bytes_sent count them, so that --rate is the share of the link the session takes.
constexpr std::size_t frame_overhead = 8 + 20 + 14;

}  // namespace

struct Sender::Impl {
    struct Client {
        std::uint32_t id = 0;
        tcp::socket socket;
        std::string name;
        std::string peer;
        ClientState state = ClientState::authenticating;
        std::uint32_t address = 0;  // the peer's IPv4 address, for the join limiter
        std::unique_ptr<SenderHandshake> handshake;  // and the connection's frame tags
        std::chrono::seconds limited{0};             // > 0: too many failed joins from its address
        std::array<std::uint8_t, 4> header{};
        std::vector<std::uint8_t> body;
        std::deque<std::vector<std::uint8_t>> out;
        bool writing = false;
        bool closing = false;
        Clock::time_point connected_at = Clock::now();
        Clock::time_point last_heard = Clock::now();
        std::uint32_t reported_pass = 0;
        std::uint64_t bytes_done = 0;
        Clock::time_point bytes_at = Clock::now();
        double rate_bps = 0;
        std::uint32_t loss_ppm = 0;
        std::uint32_t backlog = 0;
        Report last_final;
        std::deque<std::uint32_t> unicast_queue;
        std::string reason;
        explicit Client(tcp::socket s) : socket(std::move(s)) {}
    };
    using ClientPtr = std::shared_ptr<Client>;

    boost::asio::io_context& io;
    SenderSettings settings;
    ChunkSource& source;
    tcp::acceptor acceptor;
    udp::socket data_socket;
    udp::endpoint group_endpoint;
    boost::asio::steady_timer tick_timer;
    boost::asio::steady_timer housekeeping_timer;
    boost::asio::steady_timer accept_pause;
    std::map<std::uint32_t, ClientPtr> clients;
    std::uint32_t next_client_id = 1;
    std::uint32_t session_id = 0;
    SessionSecret secret;
    JoinLimiter join_limiter{settings.join_limit};
    Key data_key{};
    std::unique_ptr<DatagramAuthenticator> authenticator;
    std::vector<std::uint32_t> chunk_sizes;
    std::uint64_t image_bytes = 0;
    std::uint32_t symbol_size = 0;
    std::unique_ptr<RepairPlanner> planner;
    std::unique_ptr<SymbolFeeder> feeder;
    RateController rate;
    bool started = false;
    bool started_by_hand = false;
    bool paused = false;
    bool finished = false;
    bool time_limit_applied = false;
    bool pass_running = false;
    bool pass_repairs_only = false;  // planned while paused
    bool plan_dirty = false;         // something arrived that may give the next plan work
    Clock::time_point opened_at = Clock::now();
    Clock::time_point started_at{};
    Clock::time_point pass_ended_at{};
    Clock::time_point last_tick{};
    Clock::time_point last_status_log{};
    std::uint32_t pass = 0;  // passes begun
    std::uint32_t pass_symbols = 0;
    std::uint32_t sequence = 0;
    double budget_bytes = 0;
    std::uint64_t bytes_sent = 0;
    std::uint64_t datagrams_refused = 0;  // the kernel's queue was full: lost before the wire
    std::vector<std::uint8_t> datagram_buffer;
    SessionResult result;
    std::function<void()> on_finished;

    Impl(boost::asio::io_context& io_, SenderSettings s, ChunkSource& src)
        : io(io_),
          settings(std::move(s)),
          source(src),
          acceptor(io_),
          data_socket(io_),
          tick_timer(io_),
          housekeeping_timer(io_),
          accept_pause(io_),
          rate(RateController::Settings{.cap_bps = settings.rate_mbit * 1e6}) {}

    // ---- setup ----
    void open() {
        if (settings.packet_size < datagram_overhead + 64 || settings.packet_size > 65000)
            throw std::runtime_error("packet size " + std::to_string(settings.packet_size) +
                                     " outside " + std::to_string(datagram_overhead + 64) +
                                     "..65000");
        symbol_size = settings.packet_size - static_cast<std::uint32_t>(datagram_overhead);
        for (std::uint32_t i = 0; i < source.chunk_count(); ++i) {
            const auto size = source.chunk_size(i);
            if (size == 0 || size > max_chunk_size)
                throw std::runtime_error("chunk " + std::to_string(i) + ": size " +
                                         std::to_string(size) + " outside 1.." +
                                         std::to_string(max_chunk_size));
            chunk_sizes.push_back(size);
            image_bytes += size;
        }
        if (source.manifest().size() > max_manifest_size)
            throw std::runtime_error("manifest is larger than 48 MiB");
        planner = std::make_unique<RepairPlanner>(chunk_sizes, symbol_size);
        feeder = std::make_unique<SymbolFeeder>(source, symbol_size);
        fill_random(secret.salt);
        fill_random(data_key);
        std::array<std::uint8_t, 4> id{};
        fill_random(id);
        session_id = std::uint32_t{id[0]} << 24 | std::uint32_t{id[1]} << 16 |
                     std::uint32_t{id[2]} << 8 | id[3];
        // An open session has no secret to stretch: one iteration spares the sender and every
        // receiver tens of milliseconds of PBKDF2 before the session can start.
        if (settings.password.empty()) settings.pbkdf2_iterations = 1;
        if (!settings.password.empty() && settings.pbkdf2_iterations < min_pbkdf2_iterations)
            throw std::runtime_error("PBKDF2 iterations " +
                                     std::to_string(settings.pbkdf2_iterations) + " is below the " +
                                     std::to_string(min_pbkdf2_iterations) +
                                     " receivers accept for a password session");
        secret.session_name = settings.session_name;
        secret.iterations = settings.pbkdf2_iterations;
        secret.password_key =
            derive_password_key(settings.password, secret.salt, settings.pbkdf2_iterations);
        authenticator = std::make_unique<DatagramAuthenticator>(data_key);

        // The control port listens where the session's receivers are, not on every interface
        // of the machine.
        boost::asio::ip::address_v4 bind(settings.bind_address.value);
        if (bind.is_unspecified() && !settings.interface.empty()) {
            const auto address = interface_address(settings.interface);
            if (!address)
                throw std::runtime_error("interface " + settings.interface +
                                         " has no IPv4 address");
            bind = *address;
        }
        acceptor.open(tcp::v4());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        acceptor.bind({bind, settings.control_port});
        acceptor.listen();

        if (settings.data_port == 0) {
            std::random_device random;
            settings.data_port = static_cast<std::uint16_t>(40000 + random() % 20000);
        }
        data_socket.open(udp::v4());
        data_socket.set_option(boost::asio::ip::multicast::hops(settings.ttl));
        data_socket.set_option(boost::asio::socket_base::send_buffer_size(4 << 20));
        if (!settings.interface.empty()) {
            const auto address = interface_address(settings.interface);
            if (!address)
                throw std::runtime_error("interface " + settings.interface +
                                         " has no IPv4 address");
            data_socket.set_option(boost::asio::ip::multicast::outbound_interface(*address));
        }
        data_socket.non_blocking(true);
        group_endpoint =
            udp::endpoint(boost::asio::ip::address_v4(settings.group.value), settings.data_port);
        log::info("multicast_session_open",
                  {{"session", settings.session_name},
                   {"session_id", session_id},
                   {"control_address", acceptor.local_endpoint().address().to_string()},
                   {"control_port", acceptor.local_endpoint().port()},
                   {"group", settings.group.to_string()},
                   {"data_port", settings.data_port},
                   {"chunks", chunk_sizes.size()},
                   {"bytes", image_bytes},
                   {"symbol_size", symbol_size}});
        accept();
        housekeeping();
    }

    // ---- control connections ----
    std::size_t authenticating_count() const {
        return static_cast<std::size_t>(std::count_if(
            clients.begin(), clients.end(),
            [](const auto& entry) { return entry.second->state == ClientState::authenticating; }));
    }

    void accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec == boost::asio::error::operation_aborted || finished) return;
            if (ec) {
                // EMFILE and the like last until a descriptor is freed: pause instead of spinning.
                log::warn("multicast_accept_failed",
                          {{"session", settings.session_name}, {"error", ec.message()}});
                accept_pause.expires_after(std::chrono::milliseconds(250));
                accept_pause.async_wait([this](boost::system::error_code wait_ec) {
                    if (!wait_ec && !finished) accept();
                });
                return;
            }
            if (authenticating_count() >= settings.max_unauthenticated) {
                boost::system::error_code ignored;
                log::debug("multicast_connection_refused",
                           {{"session", settings.session_name},
                            {"peer", socket.remote_endpoint(ignored).address().to_string()},
                            {"reason", "too many connections still in their handshake"}});
                socket.close(ignored);
            } else {
                auto c = std::make_shared<Client>(std::move(socket));
                c->id = next_client_id++;
                boost::system::error_code ignored;
                const auto remote = c->socket.remote_endpoint(ignored).address();
                c->peer = remote.to_string();
                if (remote.is_v4()) c->address = remote.to_v4().to_uint();
                c->socket.set_option(tcp::no_delay(true), ignored);
                Nonce server_nonce{};
                fill_random(server_nonce);
                c->handshake = std::make_unique<SenderHandshake>(secret, server_nonce);
                clients[c->id] = c;
                log::info(
                    "multicast_client_connected",
                    {{"session", settings.session_name}, {"client", c->id}, {"peer", c->peer}});
                const auto wait = join_limiter.blocked_for(c->address, Clock::now());
                // Refused once its hello is read: closing with the hello unread would reset
                // the connection and could lose the refusal on the way.
                c->limited = std::chrono::ceil<std::chrono::seconds>(wait);
                read_header(c);
            }
            accept();
        });
    }

    void read_header(const ClientPtr& c) {
        boost::asio::async_read(
            c->socket, boost::asio::buffer(c->header),
            [this, c](boost::system::error_code ec, std::size_t) {
                if (ec) return lost(c, ec.message());
                const std::uint32_t length = std::uint32_t{c->header[0]} << 24 |
                                             std::uint32_t{c->header[1]} << 16 |
                                             std::uint32_t{c->header[2]} << 8 | c->header[3];
                const auto limit = c->state == ClientState::authenticating
                                       ? max_unauthenticated_frame
                                       : max_control_frame;
                if (length == 0 || length > limit) {
                    if (c->state == ClientState::authenticating) failed_join(c);
                    return protocol_error(c, "frame length " + std::to_string(length) +
                                                 " outside 1.." + std::to_string(limit));
                }
                c->body.resize(length);
                boost::asio::async_read(c->socket, boost::asio::buffer(c->body),
                                        [this, c](boost::system::error_code ec2, std::size_t) {
                                            if (ec2) return lost(c, ec2.message());
                                            c->last_heard = Clock::now();
                                            if (c->state == ClientState::authenticating) {
                                                handshake(c);
                                            } else {
                                                auto decoded =
                                                    c->handshake->channel().open(c->body);
                                                if (auto* e = std::get_if<ControlError>(&decoded))
                                                    return protocol_error(c, e->reason);
                                                handle(c, std::get<ControlMessage>(decoded));
                                            }
                                            if (c->socket.is_open() && !c->closing) read_header(c);
                                        });
            });
    }

    void send(const ClientPtr& c, const ControlMessage& m) {
        if (!c->socket.is_open()) return;
        c->out.push_back(c->handshake->channel().seal(m));
        flush(c);
    }

    void flush(const ClientPtr& c) {
        if (c->writing || c->out.empty()) return;
        c->writing = true;
        boost::asio::async_write(c->socket, boost::asio::buffer(c->out.front()),
                                 [this, c](boost::system::error_code ec, std::size_t) {
                                     c->writing = false;
                                     if (ec) return lost(c, ec.message());
                                     c->out.pop_front();
                                     if (!c->out.empty()) return flush(c);
                                     if (c->closing) {
                                         boost::system::error_code ignored;
                                         c->socket.shutdown(tcp::socket::shutdown_both, ignored);
                                         c->socket.close(ignored);
                                         if (c->state == ClientState::authenticating)
                                             clients.erase(c->id);  // refused: never joined
                                         return;
                                     }
                                     feed_unicast(c);
                                 });
    }

    // Sends the message, then closes the connection.
    void send_and_close(const ClientPtr& c, const ControlMessage& m) {
        send(c, m);
        c->closing = true;
    }

    void set_state(const ClientPtr& c, ClientState s, std::string reason = {}) {
        const bool was_active = active(c->state);
        c->state = s;
        if (!reason.empty()) c->reason = reason;
        if (was_active && !active(s)) {
            planner->remove(c->id);
            // The last receiver finishing ends the session now, not at the next housekeeping.
            if (started && active_count() == 0)
                boost::asio::post(io, [this] {
                    if (!finished) check();
                });
        }
        log::info("multicast_client_state", {{"session", settings.session_name},
                                             {"client", c->id},
                                             {"name", c->name},
                                             {"state", state_name(s)},
                                             {"reason", reason}});
    }

    void lost(const ClientPtr& c, const std::string& why) {
        boost::system::error_code ignored;
        c->socket.close(ignored);
        if (c->state == ClientState::authenticating) {
            // Never joined: forget it entirely, so it cannot count as a participant.
            clients.erase(c->id);
            return;
        }
        if (active(c->state)) depart(c, ClientState::failed, "connection lost: " + why);
    }

    // A receiver going away: before the start it has only left and counts for nothing.
    void depart(const ClientPtr& c, ClientState wanted, const std::string& reason) {
        set_state(c, departure_state(wanted, started), reason);
        if (!started) announce_waiting();
    }

    int participant_count() const {
        std::vector<ClientState> states;
        for (const auto& [id, c] : clients) states.push_back(c->state);
        return participants(states);
    }

    // Tells each waiting receiver how far the start rule is, when that changes.
    void announce_waiting() {
        if (started || finished) return;
        const Waiting w{static_cast<std::uint32_t>(participant_count()),
                        static_cast<std::uint32_t>(start_target(settings.start)),
                        settings.start.manual};
        for (auto& [id, c] : clients)
            if (c->state == ClientState::joined && !c->closing) send(c, w);
    }

    void protocol_error(const ClientPtr& c, const std::string& why) {
        log::warn("multicast_protocol_error", {{"session", settings.session_name},
                                               {"client", c->id},
                                               {"peer", c->peer},
                                               {"error", why}});
        send_and_close(c, Refused{RefusalReason::protocol_error, why});
        if (active(c->state)) depart(c, ClientState::failed, "protocol error: " + why);
    }

    // Counts a failed join against the peer's address (docs/multicast.md, "Failed joins").
    void failed_join(const ClientPtr& c) { join_limiter.failed(c->address, Clock::now()); }

    // Before the welcome: no tag, the receiver may not share the key.
    void refuse(const ClientPtr& c, RefusalReason reason, const std::string& message) {
        log::warn("multicast_client_refused", {{"session", settings.session_name},
                                               {"client", c->id},
                                               {"peer", c->peer},
                                               {"reason", refusal_name(reason)}});
        c->out.push_back(c->handshake->refuse(reason, message));
        c->closing = true;
        flush(c);
    }

    void handle(const ClientPtr& c, const ControlMessage& m) {
        if (const auto* r = std::get_if<Report>(&m)) return handle_report(c, *r);
        if (std::holds_alternative<Done>(m)) {
            if (active(c->state)) set_state(c, ClientState::done);
            return;
        }
        if (const auto* f = std::get_if<Failed>(&m)) {
            if (active(c->state)) depart(c, ClientState::failed, f->reason);
            return;
        }
        if (const auto* l = std::get_if<Leave>(&m)) {
            if (active(c->state)) depart(c, ClientState::failed, "left: " + l->reason);
            return;
        }
        protocol_error(c, std::string("unexpected ") + message_name(m));
    }

    void handshake(const ClientPtr& c) {
        if (c->limited.count() > 0) {
            log::warn("multicast_join_limited", {{"session", settings.session_name},
                                                 {"client", c->id},
                                                 {"peer", c->peer},
                                                 {"wait_s", c->limited.count()}});
            return refuse(c, RefusalReason::too_many_failures,
                          "too many failed joins from " + c->peer + "; try again in " +
                              std::to_string(c->limited.count()) + " s");
        }
        const auto step = c->handshake->on_frame(c->body);
        c->name = c->handshake->hello().client_name;
        switch (step.kind) {
            case SenderHandshake::Step::Kind::reply:
                c->out.push_back(step.frame);
                return flush(c);
            case SenderHandshake::Step::Kind::refused:
                if (step.failed_join) failed_join(c);
                log::warn("multicast_client_refused", {{"session", settings.session_name},
                                                       {"client", c->id},
                                                       {"peer", c->peer},
                                                       {"reason", step.error}});
                c->out.push_back(step.frame);
                c->closing = true;
                return flush(c);
            case SenderHandshake::Step::Kind::proven:
                return admit(c);
        }
    }

    // The receiver proved the password: welcome it unless the session is closed to it.
    void admit(const ClientPtr& c) {
        if (started && !settings.constantcast)
            return refuse(c, RefusalReason::session_started,
                          "session already started and does not allow late joins");
        if (settings.max_clients > 0 && participant_count() >= settings.max_clients)
            return refuse(
                c, RefusalReason::session_full,
                "session is full (" + count_of(settings.max_clients, "client", "clients") + ")");
        Welcome w;
        w.receiver_id = c->id;
        w.session_id = session_id;
        w.group = settings.group.value;
        w.data_port = settings.data_port;
        w.symbol_size = symbol_size;
        w.started = started;
        w.pass = pass_running ? pass - 1 : pass;
        w.chunk_sizes = chunk_sizes;
        const auto manifest = source.manifest();
        w.manifest.assign(manifest.begin(), manifest.end());
        c->out.push_back(c->handshake->welcome(std::move(w), data_key));
        flush(c);
        set_state(c, started ? ClientState::receiving : ClientState::joined);
        if (started) send(c, Start{});
        log::info("multicast_client_joined", {{"session", settings.session_name},
                                              {"client", c->id},
                                              {"name", c->name},
                                              {"peer", c->peer},
                                              {"late", started ? 1 : 0},
                                              {"joined", participant_count()}});
        announce_waiting();
        // This join may meet the start rule: start now, not at the next housekeeping tick.
        if (!started)
            boost::asio::post(io, [this] {
                if (!finished && !started) check();
            });
    }

    void handle_report(const ClientPtr& c, const Report& r) {
        const auto now = Clock::now();
        const double seconds = std::chrono::duration<double>(now - c->bytes_at).count();
        if (seconds > 0.2) {
            c->rate_bps =
                static_cast<double>(r.bytes_done - std::min(r.bytes_done, c->bytes_done)) * 8 /
                seconds;
            c->bytes_at = now;
            c->bytes_done = r.bytes_done;
        }
        c->loss_ppm = r.loss_ppm;
        c->backlog = r.backlog;
        if (r.progress_only) return;
        c->reported_pass = std::max(c->reported_pass, r.pass);
        c->last_final = r;
        if (active(c->state) && c->state != ClientState::unicast) {
            planner->report(c->id, r);
            plan_dirty = true;
        }
    }

    // ---- sending ----
    void begin() {
        started = true;
        started_at = Clock::now();
        last_tick = started_at;
        plan_dirty = true;
        for (auto& [id, c] : clients) {
            if (c->state == ClientState::joined) {
                set_state(c, ClientState::receiving);
                send(c, Start{});
            }
        }
        log::info("multicast_session_started",
                  {{"session", settings.session_name}, {"receivers", participant_count()}});
        schedule_tick();
    }

    double margin() const {
        std::vector<std::uint32_t> losses;
        for (const auto& [id, c] : clients)
            if (c->state == ClientState::receiving) losses.push_back(c->loss_ppm);
        if (losses.empty()) return 0;
        std::sort(losses.begin(), losses.end());
        return std::min(0.5, losses[losses.size() * 3 / 4] / 1e6 * 1.5);
    }

    bool all_reported(std::uint32_t p) const {
        for (const auto& [id, c] : clients)
            if (c->state == ClientState::receiving && c->reported_pass < p) return false;
        return true;
    }

    void try_plan() {
        if (pass_running || !plan_dirty) return;
        // Give every receiver a moment to report the pass that just ended, but never wait on one,
        // and not at all while chunks that were never sent remain: the next window goes out, and
        // repairs for this one travel with the window after it.
        if (pass > 0 && !planner->unsent_left() && !all_reported(pass) &&
            Clock::now() - pass_ended_at < settings.report_wait)
            return;
        plan_dirty = false;
        const auto window = static_cast<std::uint64_t>(
            rate.rate_bps() / 8 * std::chrono::duration<double>(pass_window).count());
        auto plan = planner->plan(pass + 1, margin(), !paused, std::max<std::uint64_t>(window, 1));
        if (plan.empty()) return;
        pass_repairs_only = paused;
        ++pass;
        pass_symbols = 0;
        feeder->load(std::move(plan));
        pass_running = true;
        log::debug("multicast_pass", {{"session", settings.session_name},
                                      {"pass", pass},
                                      {"symbols", feeder->symbols_planned()}});
    }

    void end_pass() {
        pass_running = false;
        plan_dirty = true;
        pass_ended_at = Clock::now();
        log::debug("multicast_pass_end",
                   {{"session", settings.session_name}, {"pass", pass}, {"symbols", pass_symbols}});
        for (auto& [id, c] : clients)
            if (c->state == ClientState::receiving) send(c, PassEnd{pass, pass_symbols});
    }

    void schedule_tick() {
        tick_timer.expires_after(tick);
        tick_timer.async_wait([this](boost::system::error_code ec) {
            if (ec || finished) return;
            send_some();
            schedule_tick();
        });
    }

    void send_some() {
        const auto now = Clock::now();
        const double rate_bytes = rate.rate_bps() / 8;
        // Sending time not used because this thread ran late is made up, up to a limit: with
        // 16 receivers on 2 cores the tick ran up to 35-50 ms late, and a 10 ms limit lost 2.3 %
        // of the sending time (25 ms: 0.3 %). The limit bounds the burst that catching up makes.
        budget_bytes = std::min(
            budget_bytes + rate_bytes * std::chrono::duration<double>(now - last_tick).count(),
            std::max(rate_bytes * std::chrono::duration<double>(max_catch_up).count(),
                     2.0 * settings.packet_size));
        last_tick = now;
        if (!pass_running) try_plan();
        SymbolDatagram d;
        d.session_id = session_id;
        while (pass_running && budget_bytes > 0) {
            if (paused && !pass_repairs_only && !feeder->done()) {
                // A pause ends the pass early; the next plan repairs partly received blocks only.
                feeder->load({});
            }
            if (!feeder->next(d)) {
                end_pass();
                try_plan();
                continue;
            }
            d.pass = pass;
            d.sequence = sequence++;
            encode_datagram(d, *authenticator, datagram_buffer);
            boost::system::error_code ec;
            data_socket.send_to(boost::asio::buffer(datagram_buffer), group_endpoint, 0, ec);
            if (ec == boost::asio::error::would_block ||
                ec == boost::asio::error::no_buffer_space) {
                // The kernel queue is full: this symbol counts as lost; resume next tick.
                ++datagrams_refused;
                budget_bytes = 0;
            } else if (ec) {
                log::warn("multicast_send_error",
                          {{"session", settings.session_name}, {"error", ec.message()}});
                budget_bytes = 0;
            }
            ++pass_symbols;
            bytes_sent += datagram_buffer.size() + frame_overhead;
            budget_bytes -= static_cast<double>(datagram_buffer.size() + frame_overhead);
        }
    }

    // ---- unicast catch-up ----
    void start_unicast(const ClientPtr& c) {
        set_state(c, ClientState::unicast, "time limit: unicast catch-up");
        std::vector<bool> need(chunk_sizes.size(), false);
        for (const auto& r : c->last_final.whole)
            for (std::uint64_t i = r.first; i < std::uint64_t{r.first} + r.count && i < need.size();
                 ++i)
                need[i] = true;
        for (const auto& n : c->last_final.partial)
            if (n.chunk < need.size()) need[n.chunk] = true;
        // A receiver that never reported gets everything.
        if (c->last_final.whole.empty() && c->last_final.partial.empty() &&
            c->last_final.chunks_done == 0)
            std::fill(need.begin(), need.end(), true);
        for (std::uint32_t i = 0; i < need.size(); ++i)
            if (need[i]) c->unicast_queue.push_back(i);
        feed_unicast(c);
    }

    void feed_unicast(const ClientPtr& c) {
        if (c->state != ClientState::unicast || c->writing || !c->out.empty() ||
            c->unicast_queue.empty())
            return;
        const auto index = c->unicast_queue.front();
        c->unicast_queue.pop_front();
        try {
            send(c, ChunkData{index, source.read_chunk(index)});
        } catch (const std::exception& e) {
            set_state(c, ClientState::failed, e.what());
        }
    }

    // ---- time ----
    void housekeeping() {
        housekeeping_timer.expires_after(housekeeping_interval);
        housekeeping_timer.async_wait([this](boost::system::error_code ec) {
            if (ec || finished) return;
            check();
            if (!finished) housekeeping();
        });
    }

    void check() {
        const auto now = Clock::now();
        for (auto it = clients.begin(); it != clients.end();) {
            auto c = it->second;
            ++it;
            if (c->state == ClientState::authenticating &&
                now - c->connected_at > settings.handshake_timeout) {
                log::warn(
                    "multicast_handshake_timeout",
                    {{"session", settings.session_name}, {"client", c->id}, {"peer", c->peer}});
                failed_join(c);
                lost(c, "handshake timeout");
            } else if (active(c->state) && now - c->last_heard > settings.silence_timeout) {
                depart(c, ClientState::failed, "silent for too long");
                boost::system::error_code ignored;
                c->socket.close(ignored);
            }
        }
        if (!started &&
            should_start(settings.start, participant_count(), now - opened_at, started_by_hand))
            begin();
        if (started) {
            std::vector<ReceiverLoad> loads;
            for (const auto& [id, c] : clients)
                if (c->state == ClientState::receiving) loads.push_back({c->loss_ppm, c->backlog});
            rate.update(loads);
            if (settings.time_limit.count() > 0 && !time_limit_applied &&
                now - started_at >= settings.time_limit)
                apply_time_limit();
            if (now - last_status_log > std::chrono::seconds(2)) {
                last_status_log = now;
                log::info("multicast_progress", {{"session", settings.session_name},
                                                 {"pass", pass},
                                                 {"rate_mbit", rate.rate_bps() / 1e6},
                                                 {"bytes_sent", bytes_sent},
                                                 {"active", active_count()},
                                                 {"paused", paused ? 1 : 0}});
            }
            if (active_count() == 0 && joined_total() > 0) return finish("all receivers finished");
        }
        if (settings.give_up.count() > 0 && now - opened_at >= settings.give_up)
            return finish("give-up time reached");
    }

    int joined_total() const {
        std::vector<ClientState> states;
        for (const auto& [id, c] : clients) states.push_back(c->state);
        return result_joined(states);
    }

    int active_count() const {
        int n = 0;
        for (const auto& [id, c] : clients) n += active(c->state) ? 1 : 0;
        return n;
    }

    void apply_time_limit() {
        time_limit_applied = true;
        log::info("multicast_time_limit",
                  {{"session", settings.session_name},
                   {"policy", settings.late_policy == LatePolicy::wait      ? "wait"
                              : settings.late_policy == LatePolicy::unicast ? "unicast"
                                                                            : "drop"}});
        for (auto& [id, c] : clients) {
            if (c->state != ClientState::receiving && c->state != ClientState::joined) continue;
            if (settings.late_policy == LatePolicy::drop) {
                set_state(c, ClientState::dropped, "time limit reached");
                send_and_close(c, Drop{"time limit reached"});
            } else if (settings.late_policy == LatePolicy::unicast) {
                start_unicast(c);
            }
        }
    }

    void finish(const std::string& why) {
        if (finished) return;
        int joined = 0, done = 0;
        std::string failures;
        for (auto& [id, c] : clients) {
            if (c->state == ClientState::authenticating || c->state == ClientState::left) continue;
            ++joined;
            if (c->state == ClientState::done) {
                ++done;
                continue;
            }
            if (active(c->state)) set_state(c, ClientState::failed, why);
            failures += " " + (c->name.empty() ? c->peer : c->name) + "(" + state_name(c->state) +
                        (c->reason.empty() ? "" : ": " + c->reason) + ")";
        }
        result.joined = joined;
        result.done = done;
        result.success = session_succeeded(settings.success, joined, done);
        result.summary = std::to_string(done) + " of " + count_of(joined, "receiver", "receivers") +
                         " done (" + why + ")" + (failures.empty() ? "" : "; not done:" + failures);
        finished = true;
        for (auto& [id, c] : clients) {
            if (c->socket.is_open() && !c->closing)
                send_and_close(c, End{result.success, result.summary});
        }
        boost::system::error_code ignored;
        acceptor.close(ignored);
        accept_pause.cancel();
        tick_timer.cancel();
        housekeeping_timer.cancel();
        log::info("multicast_session_end",
                  {{"session", settings.session_name},
                   {"success", result.success ? 1 : 0},
                   {"done", done},
                   {"joined", joined},
                   {"passes", pass},
                   {"bytes_sent", bytes_sent},
                   {"datagrams_refused", datagrams_refused},
                   {"image_bytes", image_bytes},
                   {"seconds",
                    std::chrono::duration<double>(Clock::now() - (started ? started_at : opened_at))
                        .count()}});
        if (on_finished) boost::asio::post(io, on_finished);
    }
};

Sender::Sender(boost::asio::io_context& io, SenderSettings settings, ChunkSource& source)
    : impl_(std::make_unique<Impl>(io, std::move(settings), source)) {}
Sender::~Sender() = default;

void Sender::open() {
    try {
        impl_->open();
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error(std::string("cannot open session: ") + e.what());
    }
}
std::uint16_t Sender::control_port() const {
    // 0 once the session has ended and closed its acceptor.
    boost::system::error_code ec;
    const auto endpoint = impl_->acceptor.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
}
boost::asio::ip::address_v4 Sender::control_address() const {
    boost::system::error_code ec;
    const auto endpoint = impl_->acceptor.local_endpoint(ec);
    return ec ? boost::asio::ip::address_v4() : endpoint.address().to_v4();
}
std::uint16_t Sender::data_port() const {
    return impl_->settings.data_port;
}
std::uint32_t Sender::session_id() const {
    return impl_->session_id;
}
ManualStart Sender::start_by_hand() {
    const auto decision =
        manual_start(impl_->started || impl_->finished, impl_->participant_count());
    if (decision != ManualStart::start) return decision;
    impl_->started_by_hand = true;
    impl_->check();
    return decision;
}
void Sender::stop(const std::string& reason) {
    impl_->finish(reason);
}
void Sender::pause() {
    impl_->paused = true;
    for (auto& [id, c] : impl_->clients)
        if (c->state == ClientState::receiving) impl_->send(c, Pause{});
    log::info("multicast_paused", {{"session", impl_->settings.session_name}});
}
void Sender::resume() {
    impl_->paused = false;
    impl_->plan_dirty = true;
    for (auto& [id, c] : impl_->clients)
        if (c->state == ClientState::receiving) impl_->send(c, Resume{});
    log::info("multicast_resumed", {{"session", impl_->settings.session_name}});
}
bool Sender::drop(std::uint32_t client_id) {
    auto it = impl_->clients.find(client_id);
    if (it == impl_->clients.end() || !active(it->second->state)) return false;
    impl_->depart(it->second, ClientState::dropped, "dropped by hand");
    impl_->send_and_close(it->second, Drop{"dropped by the operator"});
    return true;
}
std::vector<ClientInfo> Sender::clients() const {
    std::vector<ClientInfo> out;
    for (const auto& [id, c] : impl_->clients) {
        ClientInfo i;
        i.id = id;
        i.name = c->name;
        i.peer = c->peer;
        i.state = state_name(c->state);
        i.progress = impl_->image_bytes ? static_cast<double>(c->bytes_done) /
                                              static_cast<double>(impl_->image_bytes)
                                        : 1.0;
        if (c->state == ClientState::done) i.progress = 1.0;
        i.rate_mbit = c->rate_bps / 1e6;
        i.loss = c->loss_ppm / 1e6;
        i.reason = c->reason;
        out.push_back(i);
    }
    return out;
}
void Sender::set_on_finished(std::function<void()> f) {
    impl_->on_finished = std::move(f);
}
bool Sender::finished() const {
    return impl_->finished;
}
std::string Sender::state() const {
    if (impl_->finished) return "ended";
    if (!impl_->started) return "waiting";
    return impl_->paused ? "paused" : "running";
}
SessionResult Sender::result() const {
    return impl_->result;
}
std::uint64_t Sender::bytes_sent() const {
    return impl_->bytes_sent;
}

}  // namespace castline::multicast
