#include "multicast/rate_controller.hpp"

#include <algorithm>
#include <cmath>

namespace castline::multicast {

RateController::RateController(Settings s)
    : settings_(s), rate_(s.cap_bps > 0 ? s.cap_bps : s.initial_bps) {}

void RateController::update(const std::vector<ReceiverLoad>& loads) {
    if (settings_.cap_bps > 0 || loads.empty()) return;
    std::vector<ReceiverLoad> sorted = loads;
    // The receiver at the percentile: ordered from least to most troubled.
    std::sort(sorted.begin(), sorted.end(), [](const ReceiverLoad& a, const ReceiverLoad& b) {
        return a.loss_ppm != b.loss_ppm ? a.loss_ppm < b.loss_ppm : a.backlog < b.backlog;
    });
    const auto at = static_cast<std::size_t>(
        std::ceil(settings_.percentile * static_cast<double>(sorted.size())));
    const auto& target = sorted[std::min(sorted.size() - 1, at == 0 ? 0 : at - 1)];
    if (target.loss_ppm > settings_.high_loss_ppm || target.backlog > settings_.high_backlog)
        rate_ *= 0.75;
    else if (target.loss_ppm < settings_.low_loss_ppm)
        rate_ *= 1.1;
    rate_ = std::clamp(rate_, settings_.min_bps, settings_.max_bps);
}

}  // namespace castline::multicast
