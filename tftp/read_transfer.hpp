#pragma once
// The sending side of one read transfer as pure logic: events in (ACK, timeout, client error),
// decisions out (what to send, whether to re-arm the timer, whether it is over). No clock and
// no socket: the server turns timer expiries into on_timeout() and performs each Step.
//
// Blocks are numbered from 1 as 64-bit indices; on the wire they roll over from 65535 to 0, so
// files beyond 65535 blocks transfer (tftpd-hpa and iPXE expect the rollover to 0).
#include <cstdint>
#include <string>

namespace castline::tftp {

class ReadTransfer {
  public:
    struct Params {
        std::uint64_t size = 0;         // bytes the transfer sends
        std::uint16_t blksize = 512;
        std::uint16_t windowsize = 1;
        bool send_oack = false;         // options were acknowledged: OACK first, wait for ACK 0
        int max_retries = 5;            // timeouts in a row before giving up
    };

    enum class State { running, complete, timed_out, aborted };

    // What the server must do now. `count` blocks from `first` (inclusive) are to be sent.
    struct Step {
        bool send_oack = false;
        std::uint64_t first = 0;
        std::uint64_t count = 0;
        bool arm_timer = false;  // (re)start the retransmission timer
        bool ignored = false;    // the event changed nothing (duplicate or stale ACK)
    };

    explicit ReadTransfer(const Params& params);

    Step start();
    Step on_ack(std::uint16_t wire_block);
    Step on_timeout();
    void on_client_error();  // the client gave up (ERROR packet or ICMP unreachable)

    State state() const { return state_; }
    bool finished() const { return state_ != State::running; }

    std::uint64_t total_blocks() const { return total_blocks_; }
    std::uint64_t acknowledged_blocks() const { return acked_; }
    std::uint64_t bytes_acknowledged() const;
    std::uint64_t block_offset(std::uint64_t index) const { return (index - 1) * params_.blksize; }
    std::size_t block_length(std::uint64_t index) const;
    int retries() const { return retries_; }
    std::uint64_t blocks_sent() const { return blocks_sent_; }

    static std::uint16_t wire_block(std::uint64_t index) {
        return static_cast<std::uint16_t>(index & 0xFFFF);
    }

  private:
    Step send_window();
    std::uint16_t wire_block_of_acked() const { return wire_block(acked_); }

    Params params_;
    std::uint64_t total_blocks_ = 0;
    std::uint64_t acked_ = 0;         // highest block acknowledged (0 before any)
    std::uint64_t highest_sent_ = 0;  // highest block sent so far
    bool awaiting_oack_ack_ = false;
    int retries_ = 0;
    std::uint64_t blocks_sent_ = 0;
    State state_ = State::running;
};

std::string to_string(ReadTransfer::State state);

}  // namespace castline::tftp
