#include "daemon/rollout_run.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace castline::daemon {
namespace {

constexpr std::array<std::string_view, 9> host_state_names{"pending", "woken",      "booted",
                                                           "imaging", "postconfig", "done",
                                                           "failed",  "timed_out",  "skipped"};
constexpr std::array<std::string_view, 4> run_state_names{"running", "succeeded", "failed",
                                                          "cancelled"};

bool is_final(HostState s) {
    return s == HostState::done || s == HostState::failed || s == HostState::timed_out ||
           s == HostState::skipped;
}
bool is_active(HostState s) {
    return s != HostState::pending && !is_final(s);
}

}  // namespace

std::string_view to_string(HostState state) {
    return host_state_names[static_cast<std::size_t>(state)];
}
std::string_view to_string(RunState state) {
    return run_state_names[static_cast<std::size_t>(state)];
}

std::optional<HostState> parse_host_state(std::string_view text) {
    for (std::size_t i = 0; i < host_state_names.size(); ++i)
        if (host_state_names[i] == text) return static_cast<HostState>(i);
    return std::nullopt;
}

std::optional<RunState> parse_run_state(std::string_view text) {
    for (std::size_t i = 0; i < run_state_names.size(); ++i)
        if (run_state_names[i] == text) return static_cast<RunState>(i);
    return std::nullopt;
}

std::optional<SuccessThreshold> SuccessThreshold::parse(std::string_view text) {
    SuccessThreshold t;
    t.percent = !text.empty() && text.back() == '%';
    if (t.percent) text.remove_suffix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), t.value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || t.value < 0 ||
        (t.percent && t.value > 100))
        return std::nullopt;
    return t;
}

int SuccessThreshold::required(int host_count) const {
    if (!percent) return std::min(value, host_count);
    return (host_count * value + 99) / 100;  // rounded up: 90% of 5 hosts needs 5
}

RolloutRun::RolloutRun(std::string name, RolloutPolicy policy, std::vector<RolloutHost> hosts,
                       TimePoint started)
    : name_(std::move(name)), policy_(policy), hosts_(std::move(hosts)), started_(started) {
    judge(started);
}

RolloutRun RolloutRun::restore(std::string name, RolloutPolicy policy,
                               std::vector<RolloutHost> hosts, TimePoint started, RunState state,
                               std::optional<TimePoint> last_wave,
                               std::optional<TimePoint> finished) {
    RolloutRun run(std::move(name), policy, {}, started);
    run.hosts_ = std::move(hosts);
    run.state_ = state;
    run.last_wave_ = last_wave;
    run.finished_ = finished;
    run.stopping_ = policy.stop_on_failure && run.count(HostState::failed) > 0;
    return run;
}

int RolloutRun::count(HostState state) const {
    return static_cast<int>(std::count_if(
        hosts_.begin(), hosts_.end(), [state](const RolloutHost& h) { return h.state == state; }));
}

std::vector<MacAddress> RolloutRun::tick(TimePoint now) {
    std::vector<MacAddress> wake;
    if (state_ != RunState::running) return wake;
    if (policy_.time_limit.count() > 0 && now >= started_ + policy_.time_limit) {
        for (auto& host : hosts_) {
            if (is_final(host.state)) continue;
            host.state =
                host.state == HostState::pending ? HostState::skipped : HostState::timed_out;
            host.finished_at = now;
            if (host.state == HostState::timed_out) host.error = "time limit reached";
        }
        judge(now);
        return wake;
    }
    const bool wave_due = !last_wave_ || now >= *last_wave_ + policy_.wave_interval;
    if (stopping_ || !wave_due) return wake;
    const int active = static_cast<int>(std::count_if(
        hosts_.begin(), hosts_.end(), [](const RolloutHost& h) { return is_active(h.state); }));
    int room = std::max(1, policy_.wave_size);
    if (policy_.max_concurrent > 0) room = std::min(room, policy_.max_concurrent - active);
    for (auto& host : hosts_) {
        if (room <= 0) break;
        if (host.state != HostState::pending) continue;
        host.state = HostState::woken;
        host.woken_at = now;
        wake.push_back(host.mac);
        --room;
    }
    if (!wake.empty()) last_wave_ = now;
    return wake;
}

RolloutHost* RolloutRun::find(const MacAddress& mac) {
    const auto it = std::find_if(hosts_.begin(), hosts_.end(),
                                 [&](const RolloutHost& h) { return h.mac == mac; });
    return it == hosts_.end() ? nullptr : &*it;
}

bool RolloutRun::advance(const MacAddress& mac, HostState to, TimePoint now, std::string error) {
    auto* host = find(mac);
    if (state_ != RunState::running || !host || is_final(host->state)) return false;
    // A host may skip states (one that boots without being woken by us, a job that reports done
    // without progress), but never goes back.
    if (!is_final(to) && static_cast<int>(to) <= static_cast<int>(host->state)) return false;
    host->state = to;
    switch (to) {
        case HostState::booted:
            host->booted_at = now;
            break;
        case HostState::imaging:
            host->imaging_at = now;
            break;
        case HostState::postconfig:
            host->postconfig_at = now;
            break;
        default:
            host->finished_at = now;
            break;
    }
    if (to == HostState::failed) {
        host->error = std::move(error);
        if (policy_.stop_on_failure) stopping_ = true;
    }
    judge(now);
    return true;
}

bool RolloutRun::booted(const MacAddress& mac, TimePoint now) {
    return advance(mac, HostState::booted, now);
}
bool RolloutRun::imaging(const MacAddress& mac, TimePoint now) {
    return advance(mac, HostState::imaging, now);
}
bool RolloutRun::postconfig(const MacAddress& mac, TimePoint now) {
    return advance(mac, HostState::postconfig, now);
}
bool RolloutRun::done(const MacAddress& mac, TimePoint now) {
    return advance(mac, HostState::done, now);
}
bool RolloutRun::failed(const MacAddress& mac, std::string error, TimePoint now) {
    return advance(mac, HostState::failed, now, std::move(error));
}

void RolloutRun::cancel(TimePoint now) {
    if (state_ != RunState::running) return;
    for (auto& host : hosts_) {
        if (is_final(host.state)) continue;
        host.state = HostState::skipped;
        host.finished_at = now;
    }
    state_ = RunState::cancelled;
    finished_ = now;
}

void RolloutRun::judge(TimePoint now) {
    if (state_ != RunState::running) return;
    const int total = static_cast<int>(hosts_.size());
    const int required = policy_.success.required(total);
    const int done_count = count(HostState::done);
    const bool all_final = std::all_of(hosts_.begin(), hosts_.end(),
                                       [](const RolloutHost& h) { return is_final(h.state); });
    // When stopping, the run ends once the hosts already on their way have finished.
    const bool stopped_and_settled =
        stopping_ && std::none_of(hosts_.begin(), hosts_.end(),
                                  [](const RolloutHost& h) { return is_active(h.state); });
    if (!all_final && !stopped_and_settled) return;
    for (auto& host : hosts_) {
        if (host.state != HostState::pending) continue;
        host.state = HostState::skipped;
        host.finished_at = now;
    }
    if (!std::all_of(hosts_.begin(), hosts_.end(),
                     [](const RolloutHost& h) { return is_final(h.state); }))
        return;  // hosts still imaging finish first
    state_ = done_count >= required ? RunState::succeeded : RunState::failed;
    finished_ = now;
}

}  // namespace castline::daemon
