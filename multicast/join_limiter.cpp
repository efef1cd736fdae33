#include "multicast/join_limiter.hpp"

#include <algorithm>

namespace castline::multicast {

void JoinLimiter::forget_old(std::deque<Clock::time_point>& times, Clock::time_point now) const {
    while (!times.empty() && now - times.front() >= settings_.window) times.pop_front();
}

JoinLimiter::Clock::duration JoinLimiter::blocked_for(std::uint32_t address,
                                                      Clock::time_point now) {
    const auto it = failures_.find(address);
    if (it == failures_.end()) return Clock::duration::zero();
    forget_old(it->second, now);
    if (it->second.empty()) {
        failures_.erase(it);
        return Clock::duration::zero();
    }
    if (static_cast<int>(it->second.size()) < settings_.max_failures)
        return Clock::duration::zero();
    return it->second.front() + settings_.window - now;
}

void JoinLimiter::failed(std::uint32_t address, Clock::time_point now) {
    auto& times = failures_[address];
    forget_old(times, now);
    times.push_back(now);
    // Only the newest max_failures matter for the decision.
    while (static_cast<int>(times.size()) > settings_.max_failures) times.pop_front();
    if (failures_.size() <= settings_.max_addresses) return;
    // Too many addresses (a spoofing flood): forget those whose failures have aged out, then,
    // if still too many, the one whose last failure is oldest.
    for (auto i = failures_.begin(); i != failures_.end();) {
        forget_old(i->second, now);
        i = i->second.empty() ? failures_.erase(i) : std::next(i);
    }
    while (failures_.size() > settings_.max_addresses) {
        const auto oldest = std::min_element(
            failures_.begin(), failures_.end(),
            [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
        failures_.erase(oldest);
    }
}

}  // namespace castline::multicast
