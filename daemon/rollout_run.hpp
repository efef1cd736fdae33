#pragma once
// One run of a rollout as a pure state machine: it decides whom to wake and when, follows each
// host from pending to a final state, and judges the run. Time comes in from outside, so the
// daemon drives it with the clock and tests drive it with an injected one.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mac_address.hpp"

namespace castline::daemon {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::sys_seconds;

enum class HostState {
    pending,
    woken,
    booted,
    imaging,
    postconfig,
    done,
    failed,
    timed_out,
    skipped
};
enum class RunState { running, succeeded, failed, cancelled };

std::string_view to_string(HostState state);
std::string_view to_string(RunState state);
std::optional<HostState> parse_host_state(std::string_view text);
std::optional<RunState> parse_run_state(std::string_view text);

// "12" hosts or "90%" of the run's hosts.
struct SuccessThreshold {
    int value = 100;
    bool percent = true;
    static std::optional<SuccessThreshold> parse(std::string_view text);
    int required(int host_count) const;
};

struct RolloutPolicy {
    int wave_size = 4;
    std::chrono::seconds wave_interval{10};
    int max_concurrent = 0;  // 0: no limit beyond the wave size
    SuccessThreshold success;
    std::chrono::seconds time_limit{0};  // 0: none
    bool stop_on_failure = true;
};

struct RolloutHost {
    MacAddress mac;
    std::string name;
    HostState state = HostState::pending;
    std::optional<TimePoint> woken_at, booted_at, imaging_at, postconfig_at, finished_at;
    std::string error;
};

class RolloutRun {
  public:
    RolloutRun(std::string name, RolloutPolicy policy, std::vector<RolloutHost> hosts,
               TimePoint started);

    // Advances time: applies the time limit and returns the hosts to wake now (marked woken).
    std::vector<MacAddress> tick(TimePoint now);

    // Reports about one host; those for hosts not in the run, or that would move a host
    // backwards or out of a final state, are ignored and return false.
    bool booted(const MacAddress& mac, TimePoint now);
    bool imaging(const MacAddress& mac, TimePoint now);
    bool postconfig(const MacAddress& mac, TimePoint now);
    bool done(const MacAddress& mac, TimePoint now);
    bool failed(const MacAddress& mac, std::string error, TimePoint now);

    void cancel(TimePoint now);

    const std::string& name() const { return name_; }
    const RolloutPolicy& policy() const { return policy_; }
    const std::vector<RolloutHost>& hosts() const { return hosts_; }
    RunState state() const { return state_; }
    TimePoint started() const { return started_; }
    std::optional<TimePoint> finished() const { return finished_; }
    std::optional<TimePoint> last_wave() const { return last_wave_; }
    int count(HostState state) const;

    // Rebuilds a run from stored rows (after a daemon restart).
    static RolloutRun restore(std::string name, RolloutPolicy policy,
                              std::vector<RolloutHost> hosts, TimePoint started, RunState state,
                              std::optional<TimePoint> last_wave,
                              std::optional<TimePoint> finished);

  private:
    RolloutHost* find(const MacAddress& mac);
    bool advance(const MacAddress& mac, HostState to, TimePoint now, std::string error = {});
    void judge(TimePoint now);

    std::string name_;
    RolloutPolicy policy_;
    std::vector<RolloutHost> hosts_;
    TimePoint started_;
    RunState state_ = RunState::running;
    std::optional<TimePoint> last_wave_;
    std::optional<TimePoint> finished_;
    bool stopping_ = false;  // no more waves: a failure with stop_on_failure
};

}  // namespace castline::daemon
