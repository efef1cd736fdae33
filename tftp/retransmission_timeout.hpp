#pragma once
// The retransmission timeout of one transfer. A timeout the client negotiated (RFC 2349) is
// used as is. Otherwise it adapts to the measured round trip (RFC 6298's estimator) between a
// floor and the configured timeout, so a lost packet on a LAN costs milliseconds instead of a
// second. Each expiry doubles it, up to four times the ceiling: a windowed client such as atftp
// ignores repeated blocks it already has and re-sends its lost ACK only when its own timer
// (commonly the same ceiling) runs out in silence, which back-to-back resends would prevent.
#include <chrono>

namespace castline::tftp {

class RetransmissionTimeout {
  public:
    using Duration = std::chrono::steady_clock::duration;

    // `ceiling` is the configured (or negotiated) timeout and also the starting value.
    static constexpr int backoff_limit = 4;  // expiries back off up to this many ceilings
    RetransmissionTimeout(Duration ceiling, bool fixed,
                          Duration floor = std::chrono::milliseconds(50));

    Duration current() const { return current_; }
    void on_rtt_sample(Duration rtt);
    void on_expiry();

  private:
    Duration ceiling_;
    Duration floor_;
    bool fixed_;
    bool have_sample_ = false;
    double srtt_ = 0;    // seconds
    double rttvar_ = 0;  // seconds
    Duration current_;
};

}  // namespace castline::tftp
