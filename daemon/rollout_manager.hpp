#pragma once
// Runs the config's rollouts inside castlined: starts them by hand or by schedule, ticks them
// every second (waking hosts wave by wave), feeds them host reports, and stores every change.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/recurrence.hpp"
#include "config/site_config.hpp"
#include "daemon/state_store.hpp"

namespace castline::daemon {

// Which hosts of the config a rollout targets, in config order, each once.
std::vector<RolloutHost> rollout_targets(const config::SiteConfig& site,
                                         const config::Rollout& rollout);
RolloutPolicy rollout_policy(const config::Rollout& rollout);

class RolloutManager {
  public:
    using Waker = std::function<void(const MacAddress&)>;
    using Now = std::function<TimePoint()>;

    RolloutManager(boost::asio::io_context& io, StateStore& store, Waker waker, Now now);

    // Takes the rollouts and schedules of a (re)loaded config; resumes stored runs once.
    void apply(const config::SiteConfig& site);
    void start_ticking();
    void stop();

    // Starts a run of the named rollout; nullopt and `error` when unknown or already running.
    std::optional<std::int64_t> start(const std::string& rollout, std::string& error);
    bool cancel(const std::string& rollout);
    std::optional<StoredRun> status(const std::string& rollout);
    std::vector<std::string> running() const;
    std::vector<std::string> configured() const;
    bool is_configured(const std::string& rollout) const;
    // Whether the config in force has a host of this name or MAC.
    bool knows_host(const std::string& name_or_mac) const;

    // Reports from DHCP/PXE (booted) and from the imager's job (the rest); apply to every run
    // in progress that holds the host.
    void host_booted(const MacAddress& mac);
    void host_imaging(const MacAddress& mac);
    void host_postconfig(const MacAddress& mac);
    void host_done(const MacAddress& mac);
    void host_failed(const MacAddress& mac, const std::string& error);

    // The rollout whose run in progress still has this host to image (not in a final state):
    // the host then gets a job even if its group boots locally or its last job is done, and
    // the rollout's image, session and post-config win over its group's.
    const config::Rollout* imaging_rollout(const MacAddress& mac) const;

    // One step: due schedules start, runs wake their next wave and settle their time limits.
    void tick();
    std::optional<TimePoint> next_scheduled(const std::string& schedule) const;

  private:
    struct Active {
        std::int64_t id;
        RolloutRun run;
    };
    void report(const std::function<bool(RolloutRun&, TimePoint)>& apply);
    void advance(const std::string& name, Active& active, TimePoint now);
    void schedule_timer();
    void finish_settled();

    boost::asio::io_context& io_;
    boost::asio::steady_timer timer_;
    StateStore& store_;
    Waker waker_;
    Now now_;
    std::optional<config::SiteConfig> site_;
    std::map<std::string, Active> active_;  // by rollout name
    struct Scheduled {
        Recurrence recurrence;
        std::string rollout;
        std::optional<TimePoint> next;
    };
    std::map<std::string, Scheduled> schedules_;
    bool resumed_ = false;
    bool ticking_ = false;
};

}  // namespace castline::daemon
