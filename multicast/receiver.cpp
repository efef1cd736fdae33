#include "multicast/receiver.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>

#include "common/log.hpp"
#include "multicast/auth.hpp"
#include "multicast/chunk_assembler.hpp"
#include "multicast/control.hpp"
#include "multicast/datagram.hpp"
#include "multicast/handshake.hpp"
#include "multicast/interface_address.hpp"
#include "multicast/resolver_codec.hpp"
#include "multicast/session_policy.hpp"

namespace castline::multicast {

using boost::asio::ip::tcp;
using boost::asio::ip::udp;
using Clock = std::chrono::steady_clock;

namespace {

// Receivers are often started before the session opens, and a query that arrives before the
// resolver is up is lost: the wait between queries is how late a receiver learns of the session
// (at 0.5 s it cost a 64 MiB session 2 % of its time). A query is 20-odd bytes.
constexpr auto resolver_first_wait = std::chrono::milliseconds(20);
constexpr auto resolver_max_wait = std::chrono::milliseconds(100);
constexpr auto connect_retry = std::chrono::milliseconds(250);

}  // namespace

struct Receiver::Impl {
    boost::asio::io_context& io;
    Clock::duration resolver_wait = resolver_first_wait;
    ReceiverSettings settings;
    ChunkSink& sink;
    tcp::socket control;
    udp::socket data;
    udp::socket resolver_socket;
    boost::asio::steady_timer timer;  // resolver and connect retries
    boost::asio::steady_timer progress_timer;
    boost::asio::steady_timer deadline_timer;
    boost::asio::ip::address_v4 server;
    std::uint16_t control_port = 0;  // 0 until given or resolved
    // Counts connection attempts, so that a completion of an attempt already given up (its
    // handler queued before the socket was closed) never acts on the connection that followed.
    std::uint64_t connect_attempt = 0;
    Clock::time_point find_deadline{};
    bool is_finished = false;
    ReceiveOutcome result = ReceiveOutcome::failed;
    std::string result_summary;
    // This connection's handshake and, after it, its frame tags.
    std::unique_ptr<ReceiverHandshake> handshake;
    bool handshake_done = false;
    std::string waiting;  // joined, not started: what for
    bool all_done = false;
    std::uint32_t session_id = 0;
    std::unique_ptr<DatagramAuthenticator> authenticator;
    std::unique_ptr<ChunkAssembler> assembler;
    std::vector<std::uint32_t> chunk_sizes;
    std::array<std::uint8_t, 4> header{};
    std::vector<std::uint8_t> body;
    std::deque<std::vector<std::uint8_t>> out;
    bool writing = false;
    std::vector<std::uint8_t> packet = std::vector<std::uint8_t>(65536);
    std::array<std::uint8_t, 1024> resolver_buffer{};
    udp::endpoint resolver_peer;
    std::map<std::uint32_t, std::uint32_t> received_in_pass;
    std::uint32_t last_pass_loss_ppm = 0;
    std::uint64_t window_received = 0;
    std::uint32_t window_first = 0, window_last = 0;
    bool window_open = false;
    std::uint32_t last_reported_pass = 0;
    std::uint32_t partial_pass = 0;
    std::uint64_t rejected_datagrams = 0;
    // Per field the error names ("session_id", "tag", ...), so that a flood of one kind, such as
    // another session's datagrams on the same group, does not hide the first of another kind.
    std::map<std::string, std::uint64_t, std::less<>> rejected_by_field;
    std::uint64_t corrupt_chunks = 0;

    Impl(boost::asio::io_context& io_, ReceiverSettings s, ChunkSink& k)
        : io(io_),
          settings(std::move(s)),
          sink(k),
          control(io_),
          data(io_),
          resolver_socket(io_),
          timer(io_),
          progress_timer(io_),
          deadline_timer(io_) {}

    void finish(ReceiveOutcome outcome, std::string summary) {
        if (is_finished) return;
        is_finished = true;
        result = outcome;
        result_summary = std::move(summary);
        log::info("multicast_receive_end", {{"outcome", outcome_name(outcome)},
                                            {"summary", result_summary},
                                            {"chunks", assembler ? assembler->chunks_written() : 0},
                                            {"rejected_datagrams", rejected_datagrams},
                                            {"corrupt_chunks", corrupt_chunks}});
        boost::system::error_code ignored;
        timer.cancel();
        progress_timer.cancel();
        deadline_timer.cancel();
        resolver_socket.close(ignored);
        data.close(ignored);
        control.close(ignored);
    }

    void start() {
        if (settings.timeout.count() > 0) {
            deadline_timer.expires_after(settings.timeout);
            deadline_timer.async_wait([this](boost::system::error_code ec) {
                if (!ec)
                    finish(ReceiveOutcome::timeout,
                           "gave up after " + std::to_string(settings.timeout.count()) + " s");
            });
        }
        boost::system::error_code ec;
        server = boost::asio::ip::make_address_v4(settings.address.server, ec);
        if (ec) {
            tcp::resolver names(io);
            auto found = names.resolve(tcp::v4(), settings.address.server, "", ec);
            if (ec || found.empty())
                return finish(ReceiveOutcome::not_found,
                              "cannot resolve server " + settings.address.server);
            server = found.begin()->endpoint().address().to_v4();
        }
        control_port = settings.address.control_port;
        find_deadline = Clock::now() + settings.find_timeout;
        if (control_port == 0) return resolve();
        connect();
    }

    // ---- resolver ----
    void resolve() {
        if (!resolver_socket.is_open()) resolver_socket.open(udp::v4());
        if (Clock::now() >= find_deadline)
            return finish(ReceiveOutcome::not_found,
                          "resolver at " + server.to_string() + ":" +
                              std::to_string(settings.address.resolver_port) +
                              " does not know session '" + settings.address.name + "'");
        const auto query = encode_resolver(ResolverQuery{settings.address.name});
        boost::system::error_code ec;
        resolver_socket.send_to(boost::asio::buffer(query),
                                udp::endpoint(server, settings.address.resolver_port), 0, ec);
        resolver_socket.async_receive_from(
            boost::asio::buffer(resolver_buffer), resolver_peer,
            [this](boost::system::error_code rec, std::size_t n) {
                if (rec || is_finished || control_port != 0) return;
                const auto d =
                    decode_resolver(std::span<const std::uint8_t>(resolver_buffer.data(), n));
                const auto* a = std::get_if<ResolverAnswer>(&d);
                if (!a || a->name != settings.address.name) return;  // wait for the timer
                timer.cancel();
                control_port = a->control_port;
                boost::system::error_code ignored;
                resolver_socket.close(ignored);
                log::info("multicast_resolved",
                          {{"session", a->name}, {"control_port", a->control_port}});
                find_deadline = Clock::now() + settings.find_timeout;
                connect();
            });
        timer.expires_after(resolver_wait);
        resolver_wait = std::min<Clock::duration>(resolver_wait * 2, resolver_max_wait);
        // An answer and this timer can be ready in the same turn (a slow or frozen machine): the
        // answer's handler runs first and cannot cancel a timer that has already expired.
        timer.async_wait([this](boost::system::error_code tec) {
            if (tec || is_finished || control_port != 0) return;
            boost::system::error_code ignored;
            resolver_socket.cancel(ignored);
            resolve();
        });
    }

    // ---- control ----
    void connect() {
        if (Clock::now() >= find_deadline)
            return finish(ReceiveOutcome::not_found, "cannot connect to " + server.to_string() +
                                                         ":" + std::to_string(control_port));
        boost::system::error_code ignored;
        control.close(ignored);
        const auto attempt = ++connect_attempt;
        control.async_connect(
            tcp::endpoint(server, control_port), [this, attempt](boost::system::error_code ec) {
                if (is_finished || attempt != connect_attempt) return;
                if (ec) {
                    log::warn("multicast_connect_failed", {{"server", server.to_string()},
                                                           {"port", control_port},
                                                           {"error", ec.message()}});
                    timer.expires_after(connect_retry);
                    timer.async_wait([this](boost::system::error_code tec) {
                        if (!tec && !is_finished) connect();
                    });
                    return;
                }
                boost::system::error_code ignored2;
                control.set_option(tcp::no_delay(true), ignored2);
                Nonce client_nonce{};
                fill_random(client_nonce);
                handshake = std::make_unique<ReceiverHandshake>(
                    settings.address.name, settings.password, settings.client_name, client_nonce);
                send_frame(handshake->hello());
                read_header();
            });
    }

    void send(const ControlMessage& m) { send_frame(handshake->channel().seal(m)); }

    void send_frame(std::vector<std::uint8_t> frame) {
        out.push_back(std::move(frame));
        flush();
    }

    void flush() {
        if (writing || out.empty() || !control.is_open()) return;
        writing = true;
        boost::asio::async_write(control, boost::asio::buffer(out.front()),
                                 [this](boost::system::error_code ec, std::size_t) {
                                     writing = false;
                                     if (is_finished) return;
                                     if (ec) return connection_lost(ec.message());
                                     out.pop_front();
                                     if (!out.empty()) return flush();
                                     if (all_done)
                                         finish(ReceiveOutcome::done,
                                                "all " + std::to_string(assembler->chunk_count()) +
                                                    " chunks verified and written");
                                 });
    }

    void connection_lost(const std::string& why) {
        if (all_done) return finish(ReceiveOutcome::done, "all chunks verified and written");
        finish(ReceiveOutcome::failed, "control connection lost: " + why);
    }

    void read_header() {
        boost::asio::async_read(
            control, boost::asio::buffer(header),
            [this](boost::system::error_code ec, std::size_t) {
                if (is_finished) return;
                if (ec)
                    return connection_lost(ec == boost::asio::error::eof ? "closed by the sender"
                                                                         : ec.message());
                const std::uint32_t length = std::uint32_t{header[0]} << 24 |
                                             std::uint32_t{header[1]} << 16 |
                                             std::uint32_t{header[2]} << 8 | header[3];
                if (length == 0 || length > max_control_frame)
                    return finish(ReceiveOutcome::failed,
                                  "control frame length " + std::to_string(length) + " is invalid");
                body.resize(length);
                boost::asio::async_read(
                    control, boost::asio::buffer(body),
                    [this](boost::system::error_code ec2, std::size_t) {
                        if (is_finished) return;
                        if (ec2) return connection_lost(ec2.message());
                        if (!handshake_done) {
                            step(handshake->on_frame(body));
                        } else {
                            auto decoded = handshake->channel().open(body);
                            if (auto* e = std::get_if<ControlError>(&decoded))
                                return finish(ReceiveOutcome::failed,
                                              "bad control message from the sender: " + e->reason);
                            handle(std::get<ControlMessage>(decoded));
                        }
                        if (!is_finished) read_header();
                    });
            });
    }

    void step(const ReceiverHandshake::Step& step) {
        switch (step.kind) {
            case ReceiverHandshake::Step::Kind::reply:
                return send_frame(step.frame);
            case ReceiverHandshake::Step::Kind::joined:
                return welcome(handshake->welcome(), handshake->data_key());
            case ReceiverHandshake::Step::Kind::refused:
                return finish(ReceiveOutcome::refused, step.error);
            case ReceiverHandshake::Step::Kind::failed:
                return finish(ReceiveOutcome::failed, step.error);
        }
    }

    void handle(const ControlMessage& m) {
        if (const auto* r = std::get_if<Refused>(&m))
            return finish(ReceiveOutcome::refused,
                          std::string("refused (") + refusal_name(r->reason) + "): " + r->message);
        if (const auto* p = std::get_if<PassEnd>(&m)) return pass_end(*p);
        if (const auto* d = std::get_if<ChunkData>(&m)) {
            log::debug("multicast_unicast_chunk", {{"chunk", d->chunk}});
            return deliver(d->chunk, d->bytes);
        }
        if (const auto* d = std::get_if<Drop>(&m))
            return finish(ReceiveOutcome::dropped, "dropped by the sender: " + d->reason);
        if (const auto* e = std::get_if<End>(&m)) {
            if (all_done) return finish(ReceiveOutcome::done, "all chunks verified and written");
            return finish(ReceiveOutcome::failed,
                          "session ended before this receiver was done: " + e->summary);
        }
        if (const auto* w = std::get_if<Waiting>(&m)) {
            if (waiting.empty()) return;  // already started: a stale count
            waiting = waiting_text(static_cast<int>(w->joined), static_cast<int>(w->wanted),
                                   w->by_hand_only);
            return log::info("multicast_waiting", {{"joined", w->joined}, {"wanted", w->wanted}});
        }
        if (std::holds_alternative<Start>(m)) {
            waiting.clear();
            return log::info("multicast_started", {});
        }
        if (std::holds_alternative<Pause>(m)) return log::info("multicast_paused", {});
        if (std::holds_alternative<Resume>(m)) return log::info("multicast_resumed", {});
        finish(ReceiveOutcome::failed,
               std::string("unexpected ") + message_name(m) + " from the sender");
    }

    void welcome(const Welcome& w, const Key& data_key) {
        handshake_done = true;
        session_id = w.session_id;
        authenticator = std::make_unique<DatagramAuthenticator>(data_key);
        chunk_sizes = w.chunk_sizes;
        if (auto refusal = sink.open(w.manifest, chunk_sizes); !refusal.empty()) {
            send(Leave{refusal});
            return finish(ReceiveOutcome::failed, "the target refused the image: " + refusal);
        }
        assembler =
            std::make_unique<ChunkAssembler>(chunk_sizes, w.symbol_size, settings.memory_limit);
        const auto missing = sink.missing();
        std::vector<bool> lacking(chunk_sizes.size(), false);
        for (auto i : missing)
            if (i < lacking.size()) lacking[i] = true;
        for (std::uint32_t i = 0; i < lacking.size(); ++i)
            if (!lacking[i]) assembler->mark_written(i);
        try {
            const boost::asio::ip::address_v4 group(w.group);
            data.open(udp::v4());
            data.set_option(udp::socket::reuse_address(true));
            const int size = 8 << 20;
            // Root may exceed rmem_max; a deep buffer rides out bursts while a chunk is written.
            if (::setsockopt(data.native_handle(), SOL_SOCKET, SO_RCVBUFFORCE, &size,
                             sizeof size) != 0)
                data.set_option(boost::asio::socket_base::receive_buffer_size(size));
            // Bound to the group address so datagrams for other groups on the port never arrive.
            data.bind(udp::endpoint(group, w.data_port));
            if (!settings.interface.empty()) {
                const auto address = interface_address(settings.interface);
                if (!address)
                    return finish(ReceiveOutcome::failed,
                                  "interface " + settings.interface + " has no IPv4 address");
                data.set_option(boost::asio::ip::multicast::join_group(group, *address));
            } else {
                data.set_option(boost::asio::ip::multicast::join_group(group));
            }
            data.non_blocking(true);
        } catch (const boost::system::system_error& e) {
            return finish(ReceiveOutcome::failed,
                          std::string("cannot join the multicast group: ") + e.what());
        }
        log::info("multicast_joined", {{"session", settings.address.name},
                                       {"receiver", w.receiver_id},
                                       {"group", boost::asio::ip::address_v4(w.group).to_string()},
                                       {"port", w.data_port},
                                       {"chunks", chunk_sizes.size()},
                                       {"missing", missing.size()},
                                       {"late", w.started ? 1 : 0}});
        if (!w.started) waiting = waiting_text(0, 0, false);
        last_reported_pass = w.pass;
        // A pass that was already running when this receiver joined says nothing about loss.
        partial_pass = w.started ? w.pass + 1 : 0;
        if (assembler->all_written()) return complete();
        send(assembler->needs(w.pass));
        wait_data();
        progress();
    }

    // ---- data ----
    void wait_data() {
        data.async_wait(udp::socket::wait_read, [this](boost::system::error_code ec) {
            if (ec || is_finished) return;
            drain();
            if (!is_finished) wait_data();
        });
    }

    void drain() {
        for (int i = 0; i < 4096 && !is_finished && data.is_open(); ++i) {
            boost::system::error_code ec;
            const auto n = data.receive(boost::asio::buffer(packet), 0, ec);
            if (ec) return;
            datagram(std::span<const std::uint8_t>(packet.data(), n));
        }
    }

    void datagram(std::span<const std::uint8_t> bytes) {
        auto decoded = decode_datagram(bytes, session_id, *authenticator);
        if (auto* e = std::get_if<DatagramError>(&decoded)) {
            ++rejected_datagrams;
            const auto field = std::string_view(e->reason).substr(0, e->reason.find(':'));
            auto it = rejected_by_field.find(field);
            if (it == rejected_by_field.end())
                it = rejected_by_field.emplace(std::string(field), 0).first;
            if (++it->second <= 5 || it->second % 1000 == 0)
                log::warn("multicast_datagram_rejected",
                          {{"error", e->reason}, {"count", it->second}});
            return;
        }
        const auto& d = std::get<SymbolDatagram>(decoded);
        ++received_in_pass[d.pass];
        if (!window_open) {
            window_open = true;
            window_first = d.sequence;
            window_received = 0;
        }
        window_last = d.sequence;
        ++window_received;
        if (all_done) return;
        const auto added = assembler->add(d);
        if (added.outcome == ChunkAssembler::Outcome::invalid) {
            ++rejected_datagrams;
            log::warn("multicast_datagram_rejected", {{"error", added.error}});
            return;
        }
        if (added.outcome == ChunkAssembler::Outcome::complete)
            deliver(d.chunk, assembler->take_chunk(d.chunk));
    }

    void deliver(std::uint32_t chunk, const std::vector<std::uint8_t>& bytes) {
        if (all_done || chunk >= chunk_sizes.size()) return;
        const auto r = sink.accept(chunk, bytes);
        switch (r.kind) {
            case SinkResult::Kind::written:
                assembler->mark_written(chunk);
                if (assembler->all_written()) complete();
                return;
            case SinkResult::Kind::corrupt:
                ++corrupt_chunks;
                assembler->discard(chunk);
                log::warn("multicast_chunk_rejected", {{"chunk", chunk}, {"error", r.message}});
                return;
            case SinkResult::Kind::error:
                send(Failed{r.message});
                return finish(ReceiveOutcome::failed, r.message);
        }
    }

    void complete() {
        if (all_done) return;
        if (auto error = sink.finish(); !error.empty()) {
            send(Failed{error});
            return finish(ReceiveOutcome::failed, error);
        }
        all_done = true;
        log::info("multicast_receive_done",
                  {{"chunks", assembler->chunk_count()}, {"bytes", assembler->bytes_written()}});
        send(Done{});
    }

    void pass_end(const PassEnd& p) {
        // Whatever the kernel already holds belongs to the pass that just ended.
        drain();
        if (is_finished || all_done) return;
        const auto got = received_in_pass[p.pass];
        received_in_pass.erase(received_in_pass.begin(), received_in_pass.upper_bound(p.pass));
        last_pass_loss_ppm =
            p.symbols_sent == 0 || p.pass == partial_pass
                ? 0
                : static_cast<std::uint32_t>(
                      1e6 *
                      (1.0 - std::min<double>(1.0, static_cast<double>(got) / p.symbols_sent)));
        auto report = assembler->needs(p.pass);
        report.loss_ppm = last_pass_loss_ppm;
        last_reported_pass = p.pass;
        log::debug("multicast_pass_report", {{"pass", p.pass},
                                             {"received", got},
                                             {"sent", p.symbols_sent},
                                             {"whole_ranges", report.whole.size()},
                                             {"partial_blocks", report.partial.size()}});
        send(report);
    }

    void progress() {
        progress_timer.expires_after(settings.progress_interval);
        progress_timer.async_wait([this](boost::system::error_code ec) {
            if (ec || is_finished || all_done) return;
            Report r;
            r.progress_only = true;
            r.pass = last_reported_pass;
            r.chunks_done = assembler->chunks_written();
            r.bytes_done = assembler->bytes_written();
            r.loss_ppm = last_pass_loss_ppm;
            if (window_open && window_last - window_first + 1 > window_received) {
                const double span = static_cast<double>(window_last - window_first + 1);
                r.loss_ppm = static_cast<std::uint32_t>(
                    1e6 * (1.0 - static_cast<double>(window_received) / span));
            }
            window_open = false;
            send(r);
            progress();
        });
    }
};

const char* outcome_name(ReceiveOutcome outcome) {
    switch (outcome) {
        case ReceiveOutcome::done:
            return "done";
        case ReceiveOutcome::failed:
            return "failed";
        case ReceiveOutcome::refused:
            return "refused";
        case ReceiveOutcome::dropped:
            return "dropped";
        case ReceiveOutcome::not_found:
            return "not_found";
        case ReceiveOutcome::timeout:
            return "timeout";
    }
    return "unknown";
}

Receiver::Receiver(boost::asio::io_context& io, ReceiverSettings settings, ChunkSink& sink)
    : impl_(std::make_unique<Impl>(io, std::move(settings), sink)) {}
Receiver::~Receiver() = default;
void Receiver::start() {
    impl_->start();
}
bool Receiver::finished() const {
    return impl_->is_finished;
}
ReceiveOutcome Receiver::outcome() const {
    return impl_->result;
}
const std::string& Receiver::summary() const {
    return impl_->result_summary;
}
std::string Receiver::waiting() const {
    if (impl_->is_finished) return {};
    if (!impl_->handshake_done)
        return (impl_->control_port == 0 ? "looking for session " : "joining session ") +
               impl_->settings.address.name;
    return impl_->waiting;
}

}  // namespace castline::multicast
