#pragma once
// Failed joins per source address: after `max_failures` wrong proofs, protocol errors or
// handshake timeouts from one IPv4 address within `window`, that address is turned away until
// the oldest of them is `window` old. Bounds online password guessing per machine without
// slowing anyone else. Pure: the caller gives the time.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>

namespace castline::multicast {

class JoinLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    struct Settings {
        int max_failures = 5;
        std::chrono::seconds window{60};
        std::size_t max_addresses = 4096;  // addresses remembered at once
    };

    JoinLimiter() : JoinLimiter(Settings{}) {}
    explicit JoinLimiter(Settings settings) : settings_(settings) {}

    // How long `address` must still wait before it may try to join; zero: it may now.
    Clock::duration blocked_for(std::uint32_t address, Clock::time_point now);
    void failed(std::uint32_t address, Clock::time_point now);
    std::size_t addresses() const { return failures_.size(); }

  private:
    void forget_old(std::deque<Clock::time_point>& times, Clock::time_point now) const;
    Settings settings_;
    std::map<std::uint32_t, std::deque<Clock::time_point>> failures_;
};

}  // namespace castline::multicast
