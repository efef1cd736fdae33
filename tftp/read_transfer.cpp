#include "tftp/read_transfer.hpp"

#include <algorithm>

namespace castline::tftp {

ReadTransfer::ReadTransfer(const Params& params) : params_(params) {
    if (params_.blksize == 0) params_.blksize = 512;
    if (params_.windowsize == 0) params_.windowsize = 1;
    // The last block is shorter than blksize, possibly empty: size / blksize + 1 blocks.
    total_blocks_ = params_.size / params_.blksize + 1;
}

std::uint64_t ReadTransfer::bytes_acknowledged() const {
    if (acked_ == 0) return 0;
    return std::min<std::uint64_t>(acked_ * params_.blksize, params_.size);
}

std::size_t ReadTransfer::block_length(std::uint64_t index) const {
    const auto offset = block_offset(index);
    if (offset >= params_.size) return 0;
    return static_cast<std::size_t>(
        std::min<std::uint64_t>(params_.blksize, params_.size - offset));
}

ReadTransfer::Step ReadTransfer::start(Clock::time_point now) {
    last_progress_ = now;
    if (params_.send_oack) {
        awaiting_oack_ack_ = true;
        last_send_ = window_sent_ = now;
        window_resent_ = false;
        return Step{.send_oack = true, .arm_timer = true};
    }
    return send_window(now, false);
}

ReadTransfer::Step ReadTransfer::send_window(Clock::time_point now, bool resend) {
    const auto first = acked_ + 1;
    const auto last = std::min<std::uint64_t>(acked_ + params_.windowsize, total_blocks_);
    highest_sent_ = std::max(highest_sent_, last);
    blocks_sent_ += last - first + 1;
    last_send_ = now;
    if (resend) {
        window_resent_ = true;
    } else {
        window_sent_ = now;
        window_resent_ = false;
    }
    return Step{.first = first, .count = last - first + 1, .arm_timer = true};
}

ReadTransfer::Step ReadTransfer::on_ack(std::uint16_t wire_block, Clock::time_point now) {
    if (state_ != State::running) return Step{.ignored = true};
    std::optional<Clock::duration> sample;
    if (!window_resent_) sample = now - window_sent_;
    if (awaiting_oack_ack_) {
        if (wire_block != 0) return Step{.ignored = true};
        awaiting_oack_ack_ = false;
        retries_ = 0;
        last_progress_ = now;
        auto step = send_window(now, false);
        step.rtt_sample = sample;
        return step;
    }
    // How far this ACK moves us, modulo the 16-bit block number. More than what is in flight
    // is a stale ACK from before a wrap, or nonsense.
    const auto delta = static_cast<std::uint16_t>(wire_block - wire_block_of_acked());
    if (delta > highest_sent_ - acked_) return Step{.ignored = true};
    if (delta == 0) {
        // A duplicate: either the echo of our own resend (ignore it, or every resend doubles
        // the traffic) or the client timed out waiting (answer it now).
        if (now - last_send_ < params_.duplicate_guard) return Step{.ignored = true};
        return send_window(now, true);
    }
    acked_ += delta;
    retries_ = 0;
    last_progress_ = now;
    if (acked_ == total_blocks_) {
        state_ = State::complete;
        return Step{.rtt_sample = sample};
    }
    // A partial ACK inside the window means the client saw a gap: resend from just after it.
    auto step = send_window(now, false);
    step.rtt_sample = sample;
    return step;
}

ReadTransfer::Step ReadTransfer::on_timeout(Clock::time_point now) {
    if (state_ != State::running) return Step{.ignored = true};
    if (++retries_ > params_.max_retries && now - last_progress_ >= params_.give_up_after) {
        state_ = State::timed_out;
        return Step{};
    }
    if (awaiting_oack_ack_) {
        last_send_ = now;
        window_resent_ = true;
        return Step{.send_oack = true, .arm_timer = true};
    }
    return send_window(now, true);
}

void ReadTransfer::on_client_error() {
    if (state_ == State::running) state_ = State::aborted;
}

std::string to_string(ReadTransfer::State state) {
    switch (state) {
        case ReadTransfer::State::running:
            return "running";
        case ReadTransfer::State::complete:
            return "complete";
        case ReadTransfer::State::timed_out:
            return "timed_out";
        case ReadTransfer::State::aborted:
            return "aborted";
    }
    return "?";
}

}  // namespace castline::tftp
