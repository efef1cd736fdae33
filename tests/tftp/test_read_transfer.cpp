#include <doctest/doctest.h>

#include "tftp/read_transfer.hpp"

using namespace castline::tftp;
using namespace std::chrono_literals;
using Clock = ReadTransfer::Clock;

namespace {
const Clock::time_point t0{};
}

TEST_CASE("without options: block 1 at once, one block per ACK, done on the short block") {
    ReadTransfer t({.size = 1000, .blksize = 512});
    CHECK(t.total_blocks() == 2);
    auto s = t.start(t0);
    CHECK_FALSE(s.send_oack);
    CHECK(s.first == 1);
    CHECK(s.count == 1);
    CHECK(s.arm_timer);
    CHECK(t.block_length(1) == 512);
    CHECK(t.block_length(2) == 488);
    s = t.on_ack(1, t0 + 1ms);
    CHECK(s.first == 2);
    CHECK(s.count == 1);
    CHECK(s.rtt_sample == Clock::duration(1ms));
    s = t.on_ack(2, t0 + 2ms);
    CHECK(t.state() == ReadTransfer::State::complete);
    CHECK(t.bytes_acknowledged() == 1000);
}

TEST_CASE("a multiple of blksize ends with an empty block; an empty file is one empty block") {
    ReadTransfer t({.size = 1024, .blksize = 512});
    CHECK(t.total_blocks() == 3);
    CHECK(t.block_length(3) == 0);
    ReadTransfer empty({.size = 0, .blksize = 512});
    CHECK(empty.total_blocks() == 1);
    CHECK(empty.start(t0).count == 1);
    empty.on_ack(1, t0);
    CHECK(empty.state() == ReadTransfer::State::complete);
}

TEST_CASE("with options: OACK first, data after ACK 0, OACK resent on timeout") {
    ReadTransfer t({.size = 5000, .blksize = 1468, .windowsize = 4, .send_oack = true});
    auto s = t.start(t0);
    CHECK(s.send_oack);
    CHECK(s.count == 0);
    CHECK(t.on_ack(1, t0).ignored);
    s = t.on_timeout(t0 + 1s);
    CHECK(s.send_oack);
    s = t.on_ack(0, t0 + 1100ms);
    CHECK_FALSE(s.rtt_sample);  // resent: no RTT sample (Karn)
    CHECK(s.first == 1);
    CHECK(s.count == 4);
    s = t.on_ack(4, t0 + 1200ms);
    CHECK(t.state() == ReadTransfer::State::complete);
}

TEST_CASE("EDK2 aborts after the OACK") {
    ReadTransfer t({.size = 5000, .blksize = 1468, .windowsize = 4, .send_oack = true});
    t.start(t0);
    t.on_client_error();
    CHECK(t.state() == ReadTransfer::State::aborted);
    CHECK(t.on_ack(0, t0).ignored);
}

TEST_CASE("windows slide on full ACKs and restart after a gap") {
    ReadTransfer t({.size = 512 * 20, .blksize = 512, .windowsize = 8});
    auto s = t.start(t0);
    CHECK(s.first == 1);
    CHECK(s.count == 8);
    s = t.on_ack(8, t0 + 1ms);
    CHECK(s.first == 9);
    CHECK(s.count == 8);
    // The client lost block 12 and acknowledges 11: send again from 12.
    s = t.on_ack(11, t0 + 2ms);
    CHECK(s.first == 12);
    CHECK(s.count == 8);
    // An ACK for a block already passed is stale.
    CHECK(t.on_ack(9, t0 + 3ms).ignored);
    s = t.on_ack(19, t0 + 4ms);
    CHECK(s.first == 20);
    CHECK(s.count == 2);  // blocks 20 and the empty 21
    t.on_ack(21, t0 + 5ms);
    CHECK(t.state() == ReadTransfer::State::complete);
}

TEST_CASE("duplicate ACKs never double the traffic (Sorcerer's Apprentice)") {
    ReadTransfer t({.size = 512 * 10, .blksize = 512});
    t.start(t0);
    // Block 1 was slow, not lost: we resend it on timeout, and both copies get acknowledged.
    auto s = t.on_timeout(t0 + 1s);
    CHECK(s.first == 1);
    s = t.on_ack(1, t0 + 1s + 1ms);
    CHECK(s.first == 2);
    CHECK(t.on_ack(1, t0 + 1s + 2ms).ignored);  // the echo of the resend: no second block 2
    CHECK(t.blocks_sent() == 3);
    // Later the client times out waiting for block 2 and re-acknowledges 1: answered at once.
    s = t.on_ack(1, t0 + 3s);
    CHECK_FALSE(s.ignored);
    CHECK(s.first == 2);
    CHECK(s.count == 1);
}

TEST_CASE("block numbers roll over from 65535 to 0 and keep counting") {
    const std::uint64_t blocks = 70000;
    ReadTransfer t({.size = 8 * blocks + 3, .blksize = 8, .windowsize = 16});
    auto s = t.start(t0);
    std::uint64_t expected_first = 1;
    int steps = 0;
    while (!t.finished()) {
        REQUIRE(s.first == expected_first);
        const auto last = s.first + s.count - 1;
        expected_first = last + 1;
        s = t.on_ack(ReadTransfer::wire_block(last), t0);
        ++steps;
    }
    CHECK(t.state() == ReadTransfer::State::complete);
    CHECK(t.total_blocks() == blocks + 1);
    CHECK(ReadTransfer::wire_block(65535) == 65535);
    CHECK(ReadTransfer::wire_block(65536) == 0);
    CHECK(t.block_offset(65536) == 8ull * 65535);
    CHECK(steps == static_cast<int>((blocks + 1 + 15) / 16));
}

TEST_CASE("an ACK straddling the wrap advances correctly") {
    ReadTransfer t({.size = 512ull * 70000, .blksize = 512, .windowsize = 4});
    t.start(t0);
    std::uint64_t acked = 0;
    while (acked + 4 < 65534) {
        acked += 4;
        t.on_ack(ReadTransfer::wire_block(acked), t0);
    }
    // In flight now: acked+1 .. acked+4 which spans 65535 -> 0.
    const auto s = t.on_ack(ReadTransfer::wire_block(acked + 4), t0);
    CHECK(t.acknowledged_blocks() == acked + 4);
    CHECK(s.first == acked + 5);
}

TEST_CASE("bounded retries end the transfer") {
    ReadTransfer t({.size = 100, .blksize = 512, .max_retries = 3});
    t.start(t0);
    for (int i = 0; i < 3; ++i) CHECK(t.on_timeout(t0).count == 1);
    t.on_timeout(t0);
    CHECK(t.state() == ReadTransfer::State::timed_out);
    CHECK(t.on_timeout(t0).ignored);
}

TEST_CASE("progress resets the retry count") {
    ReadTransfer t({.size = 5000, .blksize = 512, .max_retries = 2});
    t.start(t0);
    t.on_timeout(t0);
    t.on_timeout(t0);
    t.on_ack(1, t0);
    CHECK(t.retries() == 0);
    t.on_timeout(t0);
    t.on_timeout(t0);
    CHECK(t.state() == ReadTransfer::State::running);
}

TEST_CASE("with a fast adaptive timeout, giving up also waits for the time budget") {
    ReadTransfer t({.size = 100, .blksize = 512, .max_retries = 2, .give_up_after = 5s});
    t.start(t0);
    for (int i = 1; i <= 10; ++i) CHECK(t.on_timeout(t0 + i * 100ms).count == 1);
    CHECK(t.state() == ReadTransfer::State::running);
    t.on_timeout(t0 + 5s);
    CHECK(t.state() == ReadTransfer::State::timed_out);
}
