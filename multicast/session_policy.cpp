#include "multicast/session_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/plural.hpp"

namespace castline::multicast {

const char* state_name(ClientState s) {
    switch (s) {
        case ClientState::authenticating:
            return "authenticating";
        case ClientState::joined:
            return "joined";
        case ClientState::receiving:
            return "receiving";
        case ClientState::unicast:
            return "unicast";
        case ClientState::done:
            return "done";
        case ClientState::failed:
            return "failed";
        case ClientState::dropped:
            return "dropped";
        case ClientState::left:
            return "left";
    }
    return "unknown";
}

bool active(ClientState s) {
    return s == ClientState::joined || s == ClientState::receiving || s == ClientState::unicast;
}

ClientState departure_state(ClientState wanted, bool session_started) {
    if (!session_started && (wanted == ClientState::failed || wanted == ClientState::dropped))
        return ClientState::left;
    return wanted;
}

int participants(std::span<const ClientState> states) {
    return static_cast<int>(std::count_if(states.begin(), states.end(), active));
}

int result_joined(std::span<const ClientState> states) {
    return static_cast<int>(std::count_if(states.begin(), states.end(), [](ClientState s) {
        return s != ClientState::authenticating && s != ClientState::left;
    }));
}

ManualStart manual_start(bool started, int joined) {
    if (started) return ManualStart::not_waiting;
    if (joined == 0) return ManualStart::nobody_joined;
    return ManualStart::start;
}

int start_target(const StartRule& rule) {
    if (rule.manual) return 0;
    return rule.clients > 0 ? rule.clients : rule.min_clients;
}

std::string waiting_text(int joined, int wanted, bool by_hand_only) {
    if (by_hand_only)
        return "waiting for the session to be started by hand: " +
               count_of(joined, "receiver", "receivers") + " joined";
    if (wanted <= 0) return "waiting for the session to start";
    return "waiting for the session to start: " + std::to_string(joined) + " of " +
           std::to_string(wanted) + " joined";
}

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
