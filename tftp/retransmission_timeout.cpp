#include "tftp/retransmission_timeout.hpp"

#include <algorithm>
#include <cmath>

namespace castline::tftp {

RetransmissionTimeout::RetransmissionTimeout(Duration ceiling, bool fixed, Duration floor)
    : ceiling_(ceiling), floor_(std::min(floor, ceiling)), fixed_(fixed), current_(ceiling) {}

void RetransmissionTimeout::on_rtt_sample(Duration rtt) {
    if (fixed_) return;
    const double r = std::chrono::duration<double>(rtt).count();
    if (!have_sample_) {
        srtt_ = r;
        rttvar_ = r / 2;
        have_sample_ = true;
    } else {
        rttvar_ = 0.75 * rttvar_ + 0.25 * std::abs(srtt_ - r);
        srtt_ = 0.875 * srtt_ + 0.125 * r;
    }
    const auto rto =
        std::chrono::duration_cast<Duration>(std::chrono::duration<double>(srtt_ + 4 * rttvar_));
    current_ = std::clamp(rto, floor_, ceiling_);
}

void RetransmissionTimeout::on_expiry() {
    if (fixed_) return;
    current_ = std::min(current_ * 2, ceiling_ * backoff_limit);
}

}  // namespace castline::tftp
