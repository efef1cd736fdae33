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
    return static_cast<std::size_t>(std::min<std::uint64_t>(params_.blksize, params_.size - offset));
}

ReadTransfer::Step ReadTransfer::start() {
    if (params_.send_oack) {
        awaiting_oack_ack_ = true;
        return Step{.send_oack = true, .arm_timer = true};
    }
    return send_window();
}

ReadTransfer::Step ReadTransfer::send_window() {
    const auto first = acked_ + 1;
    const auto last = std::min<std::uint64_t>(acked_ + params_.windowsize, total_blocks_);
    highest_sent_ = std::max(highest_sent_, last);
    blocks_sent_ += last - first + 1;
    return Step{.first = first, .count = last - first + 1, .arm_timer = true};
}

ReadTransfer::Step ReadTransfer::on_ack(std::uint16_t wire_block) {
    if (state_ != State::running) return Step{.ignored = true};
    if (awaiting_oack_ack_) {
        if (wire_block != 0) return Step{.ignored = true};
        awaiting_oack_ack_ = false;
        retries_ = 0;
        return send_window();
    }
    // How far this ACK moves us, modulo the 16-bit block number. Zero is a duplicate ACK: it
    // must not cause a send, or every retransmission doubles the traffic (Sorcerer's
    // Apprentice). More than what is in flight is a stale ACK from an earlier wrap.
    const auto delta = static_cast<std::uint16_t>(wire_block - wire_block_of_acked());
    if (delta == 0 || delta > highest_sent_ - acked_) return Step{.ignored = true};
    acked_ += delta;
    retries_ = 0;
    if (acked_ == total_blocks_) {
        state_ = State::complete;
        return Step{};
    }
    // A partial ACK inside the window means the client saw a gap: resend from just after it.
    return send_window();
}

ReadTransfer::Step ReadTransfer::on_timeout() {
    if (state_ != State::running) return Step{.ignored = true};
    if (++retries_ > params_.max_retries) {
        state_ = State::timed_out;
        return Step{};
    }
    if (awaiting_oack_ack_) return Step{.send_oack = true, .arm_timer = true};
    return send_window();
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
