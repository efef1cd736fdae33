#include "tftp/transfer_session.hpp"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>

#include "common/log.hpp"

namespace castline::tftp {
namespace {

// Bytes read and sent per batch; bounds the memory of one transfer.
constexpr std::size_t batch_bytes = 256 * 1024;
// Packets handed to the kernel per sendmmsg call.
constexpr std::size_t max_batch_packets = 64;

std::string endpoint_text(const boost::asio::ip::udp::endpoint& e) {
    return e.address().to_string() + ":" + std::to_string(e.port());
}

}  // namespace

TransferSession::TransferSession(boost::asio::ip::udp::socket socket,
                                 boost::asio::ip::udp::endpoint client, Description description,
                                 NegotiatedOptions options, int max_retries, TransferSource source,
                                 Done done)
    : socket_(std::move(socket)),
      client_(client),
      timer_(socket_.get_executor()),
      description_(std::move(description)),
      options_(std::move(options)),
      source_(std::move(source)),
      transfer_(ReadTransfer::Params{.size = source_.size(),
                                     .blksize = options_.blksize,
                                     .windowsize = options_.windowsize,
                                     .send_oack = !options_.acknowledged.empty(),
                                     .max_retries = max_retries,
                                     .give_up_after = options_.timeout * max_retries}),
      // A timeout the client negotiated is the ceiling, not a fixed value: on a LAN the measured
      // round trip is far shorter and a lost block should cost milliseconds (docs/adr/0011).
      rto_(options_.timeout, false),
      done_(std::move(done)),
      receive_buffer_(2048) {
    batch_blocks_ = std::clamp<std::uint64_t>(batch_bytes / options_.blksize, 1, max_batch_packets);
    if (!source_.in_memory) batch_.resize(batch_blocks_ * options_.blksize);
    boost::system::error_code ignored;
    socket_.non_blocking(true, ignored);
}

void TransferSession::start() {
    started_ = std::chrono::steady_clock::now();
    receive();
    perform(transfer_.start(std::chrono::steady_clock::now()));
}

void TransferSession::stop() {
    if (finished_) return;
    transfer_.on_client_error();
    finish();
}

void TransferSession::receive() {
    socket_.async_receive(
        boost::asio::buffer(receive_buffer_),
        [self = shared_from_this()](const boost::system::error_code& error, std::size_t length) {
            if (self->finished_) return;
            if (error == boost::asio::error::operation_aborted) return;
            if (error) {
                // ICMP port unreachable: the client closed its socket, as
                // EDK2 does after reading the OACK's tsize.
                self->transfer_.on_client_error();
                self->finish();
                return;
            }
            self->on_packet(length);
            if (!self->finished_) self->receive();
        });
}

void TransferSession::on_packet(std::size_t length) {
    const auto result = decode({receive_buffer_.data(), length});
    if (!result.ok()) {
        log::debug("tftp_bad_packet",
                   {{"client", endpoint_text(client_)}, {"problem", result.error().to_string()}});
        return;
    }
    const auto& packet = result.packet();
    if (const auto* ack = std::get_if<Ack>(&packet)) {
        perform(transfer_.on_ack(ack->block, std::chrono::steady_clock::now()));
    } else if (std::get_if<Error>(&packet)) {
        transfer_.on_client_error();
        finish();
    }
    // Anything else on a read transfer's port carries nothing for us and is dropped.
}

void TransferSession::perform(const ReadTransfer::Step& step) {
    if (transfer_.finished()) {
        finish();
        return;
    }
    if (step.ignored) return;
    if (step.rtt_sample) rto_.on_rtt_sample(*step.rtt_sample);
    if (step.send_oack) send_oack();
    if (step.count > 0) {
        // A new step replaces whatever of the previous one is still unsent.
        pending_first_ = step.first;
        pending_end_ = step.first + step.count;
        pump();
    }
    if (step.arm_timer) arm_timer();
}

void TransferSession::send_oack() {
    const auto bytes = encode(Packet{OptionAck{options_.acknowledged}});
    boost::system::error_code ignored;
    socket_.send(boost::asio::buffer(bytes), 0, ignored);  // a lost OACK is resent on timeout
}

bool TransferSession::read_blocks(std::uint64_t first, std::uint64_t count) {
    if (source_.in_memory) return true;
    const auto offset = transfer_.block_offset(first);
    std::size_t wanted = 0;
    for (std::uint64_t i = 0; i < count; ++i) wanted += transfer_.block_length(first + i);
    std::size_t got = 0;
    while (got < wanted) {
        const auto n = ::pread(source_.file.fd(), batch_.data() + got, wanted - got,
                               static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;  // the file shrank or failed under us
        got += static_cast<std::size_t>(n);
    }
    return true;
}

void TransferSession::pump() {
    while (pending_first_ < pending_end_ && !waiting_writable_) {
        const auto count = std::min<std::uint64_t>(pending_end_ - pending_first_, batch_blocks_);
        if (!read_blocks(pending_first_, count)) {
            const auto bytes = encode(Packet{Error{ErrorCode::not_defined, "read error"}});
            boost::system::error_code ignored;
            socket_.send(boost::asio::buffer(bytes), 0, ignored);
            log::warn("tftp_read_error", {{"file", description_.file}});
            transfer_.on_client_error();
            finish();
            return;
        }
        std::array<std::array<std::uint8_t, 4>, max_batch_packets> headers{};
        std::array<iovec, 2 * max_batch_packets> iov{};
        std::array<mmsghdr, max_batch_packets> messages{};
        std::size_t payload_offset = 0;
        for (std::uint64_t i = 0; i < count; ++i) {
            const auto block = pending_first_ + i;
            const auto length = transfer_.block_length(block);
            headers[i] = data_header(ReadTransfer::wire_block(block));
            iov[2 * i] = {headers[i].data(), headers[i].size()};
            std::uint8_t* payload = source_.in_memory
                                        ? reinterpret_cast<std::uint8_t*>(source_.memory.data()) +
                                              transfer_.block_offset(block)
                                        : batch_.data() + payload_offset;
            iov[2 * i + 1] = {payload, length};
            payload_offset += length;
            messages[i].msg_hdr.msg_iov = &iov[2 * i];
            messages[i].msg_hdr.msg_iovlen = 2;
        }
        const int sent = ::sendmmsg(socket_.native_handle(), messages.data(),
                                    static_cast<unsigned>(count), MSG_DONTWAIT);
        if (sent > 0) pending_first_ += static_cast<std::uint64_t>(sent);
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
            waiting_writable_ = true;
            socket_.async_wait(boost::asio::socket_base::wait_write,
                               [self = shared_from_this()](const boost::system::error_code& e) {
                                   self->waiting_writable_ = false;
                                   if (!e && !self->finished_) self->pump();
                               });
            return;
        }
        if (sent < 0) {
            // ECONNREFUSED and friends: the client is gone.
            transfer_.on_client_error();
            finish();
            return;
        }
    }
}

// The deadline moves on every ACK. A wait that ends no later than the new deadline is kept and
// re-waits when it fires early, so an ACK usually costs no timer cancellation. A wait that ends
// later is replaced: after the timeout shrank (the first round-trip samples after the initial
// ceiling, or after backing off) it would hold a lost block for the old, longer timeout.
void TransferSession::arm_timer() {
    deadline_ = std::chrono::steady_clock::now() + rto_.current();
    if (timer_waiting_ && timer_.expiry() <= deadline_) return;
    wait_for_deadline();
}

void TransferSession::wait_for_deadline() {
    timer_waiting_ = true;
    const auto generation = ++timer_generation_;
    timer_.expires_at(deadline_);  // cancels a wait still outstanding
    timer_.async_wait(
        [self = shared_from_this(), generation](const boost::system::error_code& error) {
            if (generation != self->timer_generation_) return;  // replaced by a later wait
            self->timer_waiting_ = false;
            if (error || self->finished_) return;
            const auto now = std::chrono::steady_clock::now();
            if (now < self->deadline_) {
                self->wait_for_deadline();
                return;
            }
            ++self->timeouts_;
            self->rto_.on_expiry();
            self->perform(self->transfer_.on_timeout(now));
        });
}

void TransferSession::finish() {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);

    const auto elapsed = std::chrono::steady_clock::now() - started_;
    const double seconds = std::chrono::duration<double>(elapsed).count();
    const auto bytes = transfer_.bytes_acknowledged();
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.2f",
                  seconds > 0 ? static_cast<double>(bytes) / seconds / 1e6 : 0.0);
    std::string negotiated;
    for (const auto& o : options_.acknowledged)
        negotiated += (negotiated.empty() ? "" : ",") + o.name + "=" + o.value;
    const auto state = transfer_.state();
    const auto level =
        state == ReadTransfer::State::timed_out ? log::Level::warn : log::Level::info;
    log::write(level, "tftp_transfer",
               {{"file", description_.file},
                {"client", endpoint_text(client_)},
                {"mode", description_.mode},
                {"requested", description_.options},
                {"options", negotiated},
                {"result", to_string(state)},
                {"bytes", bytes},
                {"size", source_.size()},
                {"duration_ms", static_cast<long>(seconds * 1000)},
                {"rate_MBps", std::string(rate)},
                {"timeouts", timeouts_}});
    if (done_) {
        auto done = std::move(done_);
        done(this);
    }
}

}  // namespace castline::tftp
