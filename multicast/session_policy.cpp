#include "multicast/session_policy.hpp"

#include <charconv>
#include <cmath>

namespace castline::multicast {

bool should_start(const StartRule& rule, int joined, std::chrono::steady_clock::duration waited,
                  bool started_by_hand) {
    if (started_by_hand) return joined > 0;
    if (rule.manual) return false;
    if (rule.clients > 0 && joined >= rule.clients) return true;
    if (rule.min_clients > 0 && joined >= rule.min_clients && waited >= rule.max_wait) return true;
    // No rule at all: start with the first receiver.
    if (rule.clients == 0 && rule.min_clients == 0) return joined > 0;
    return false;
}

std::optional<SuccessThreshold> SuccessThreshold::parse(std::string_view text) {
    SuccessThreshold t;
    const bool percent = !text.empty() && text.back() == '%';
    if (percent) text.remove_suffix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    if (percent) {
        if (value > 100) return std::nullopt;
        t.percent = value;
    } else {
        if (value != std::floor(value) || value < 1 || value > 100000) return std::nullopt;
        t.count = static_cast<int>(value);
    }
    return t;
}

bool session_succeeded(const SuccessThreshold& t, int joined, int done) {
    if (joined == 0) return false;
    if (t.count > 0) return done >= t.count;
    return static_cast<double>(done) * 100.0 >= t.percent * static_cast<double>(joined) - 1e-9;
}

}  // namespace castline::multicast
