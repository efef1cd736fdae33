#include "daemon/rollout_manager.hpp"

#include <algorithm>
#include <set>

#include "common/log.hpp"

namespace castline::daemon {

std::vector<RolloutHost> rollout_targets(const config::SiteConfig& site,
                                         const config::Rollout& rollout) {
    std::vector<RolloutHost> targets;
    std::set<MacAddress> seen;
    for (const auto& host : site.hosts) {
        const bool named =
            std::find(rollout.hosts.begin(), rollout.hosts.end(), host.name) != rollout.hosts.end();
        const bool in_group = std::find(rollout.groups.begin(), rollout.groups.end(), host.group) !=
                              rollout.groups.end();
        bool selected = !rollout.selector.empty();
        for (const auto& [key, value] : rollout.selector) {
            const auto it = host.vars.find(key);
            selected = selected && it != host.vars.end() && it->second == value;
        }
        if ((named || in_group || selected) && seen.insert(host.mac).second)
            targets.push_back({.mac = host.mac, .name = host.name});
    }
    return targets;
}

RolloutPolicy rollout_policy(const config::Rollout& rollout) {
    return {
        .wave_size = rollout.wave_size,
        .wave_interval = rollout.wave_interval,
        .max_concurrent = rollout.max_concurrent,
        .success = SuccessThreshold::parse(rollout.success_threshold).value_or(SuccessThreshold{}),
        .time_limit = rollout.time_limit,
        .stop_on_failure = rollout.stop_on_failure};
}

RolloutManager::RolloutManager(boost::asio::io_context& io, StateStore& store, Waker waker, Now now)
    : io_(io), timer_(io), store_(store), waker_(std::move(waker)), now_(std::move(now)) {}

void RolloutManager::apply(const config::SiteConfig& site) {
    site_ = site;
    const auto now = now_();
    std::map<std::string, Scheduled> schedules;
    for (const auto& [name, schedule] : site.schedules) {
        auto parsed = Recurrence::parse({.kind = schedule.kind,
                                         .at = schedule.at,
                                         .days = schedule.days,
                                         .day_of_month = schedule.day_of_month,
                                         .every = schedule.every,
                                         .cron = schedule.cron,
                                         .until = schedule.until,
                                         .time_zone = schedule.time_zone});
        if (!parsed.recurrence) {
            // The config loader validates schedules; this only guards against a mismatch.
            log::error("schedule_invalid",
                       {{"schedule", name}, {"field", parsed.field}, {"error", parsed.error}});
            continue;
        }
        auto next = parsed.recurrence->next_after(now);
        schedules.emplace(name, Scheduled{*parsed.recurrence, schedule.rollout, next});
        if (next)
            log::info("schedule_armed",
                      {{"schedule", name},
                       {"rollout", schedule.rollout},
                       {"next_utc", static_cast<long long>(next->time_since_epoch().count())}});
    }
    schedules_ = std::move(schedules);
    if (!resumed_) {
        resumed_ = true;
        for (auto& stored : store_.runs_in_progress()) {
            log::info("rollout_resumed", {{"rollout", stored.run.name()},
                                          {"run", static_cast<long long>(stored.id)},
                                          {"done", stored.run.count(HostState::done)},
                                          {"hosts", stored.run.hosts().size()}});
            std::string name = stored.run.name();
            active_.insert_or_assign(std::move(name), Active{stored.id, std::move(stored.run)});
        }
    }
}

void RolloutManager::start_ticking() {
    ticking_ = true;
    schedule_timer();
}

void RolloutManager::stop() {
    ticking_ = false;
    timer_.cancel();
}

void RolloutManager::schedule_timer() {
    if (!ticking_) return;
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code& error) {
        if (error) return;
        tick();
        schedule_timer();
    });
}

std::optional<std::int64_t> RolloutManager::start(const std::string& rollout, std::string& error) {
    if (!site_) {
        error = "no config applied";
        return std::nullopt;
    }
    const auto it = site_->rollouts.find(rollout);
    if (it == site_->rollouts.end()) {
        error = "no rollout named '" + rollout + "' in the config";
        return std::nullopt;
    }
    if (active_.contains(rollout)) {
        error = "rollout '" + rollout + "' is already running";
        return std::nullopt;
    }
    RolloutRun run(rollout, rollout_policy(it->second), rollout_targets(*site_, it->second),
                   now_());
    const auto id = store_.begin_run(run);
    log::info(
        "rollout_started",
        {{"rollout", rollout}, {"run", static_cast<long long>(id)}, {"hosts", run.hosts().size()}});
    auto& active = active_.insert_or_assign(rollout, Active{id, std::move(run)}).first->second;
    advance(rollout, active, now_());
    finish_settled();
    return id;
}

bool RolloutManager::cancel(const std::string& rollout) {
    const auto it = active_.find(rollout);
    if (it == active_.end()) return false;
    it->second.run.cancel(now_());
    store_.save_run(it->second.id, it->second.run);
    log::info("rollout_cancelled",
              {{"rollout", rollout}, {"run", static_cast<long long>(it->second.id)}});
    active_.erase(it);
    return true;
}

std::optional<StoredRun> RolloutManager::status(const std::string& rollout) {
    if (const auto it = active_.find(rollout); it != active_.end())
        return StoredRun{it->second.id, it->second.run};
    return store_.latest_run(rollout);
}

std::vector<std::string> RolloutManager::running() const {
    std::vector<std::string> names;
    for (const auto& [name, active] : active_) names.push_back(name);
    return names;
}

std::vector<std::string> RolloutManager::configured() const {
    std::vector<std::string> names;
    if (site_)
        for (const auto& [name, rollout] : site_->rollouts) names.push_back(name);
    return names;
}

bool RolloutManager::knows_host(const std::string& name_or_mac) const {
    if (!site_) return false;
    if (const auto mac = MacAddress::parse(name_or_mac)) return site_->find_host(*mac) != nullptr;
    for (const auto& host : site_->hosts)
        if (host.name == name_or_mac) return true;
    return false;
}

bool RolloutManager::is_configured(const std::string& rollout) const {
    return site_ && site_->rollouts.contains(rollout);
}

void RolloutManager::tick() {
    const auto now = now_();
    for (auto& [name, scheduled] : schedules_) {
        if (!scheduled.next || now < *scheduled.next) continue;
        scheduled.next = scheduled.recurrence.next_after(now);
        std::string error;
        if (!start(scheduled.rollout, error))
            log::warn("schedule_not_started",
                      {{"schedule", name}, {"rollout", scheduled.rollout}, {"reason", error}});
    }
    for (auto& [name, active] : active_) advance(name, active, now);
    finish_settled();
}

void RolloutManager::advance(const std::string& name, Active& active, TimePoint now) {
    const auto wake = active.run.tick(now);
    for (const auto& mac : wake) {
        std::string host;
        for (const auto& h : active.run.hosts())
            if (h.mac == mac) host = h.name;
        log::info("rollout_wake", {{"rollout", name}, {"mac", mac.to_string()}, {"host", host}});
        waker_(mac);
    }
    if (!wake.empty() || active.run.state() != RunState::running)
        store_.save_run(active.id, active.run);
}

void RolloutManager::report(const std::function<bool(RolloutRun&, TimePoint)>& apply) {
    const auto now = now_();
    for (auto& [name, active] : active_)
        if (apply(active.run, now)) store_.save_run(active.id, active.run);
    finish_settled();
}

void RolloutManager::finish_settled() {
    for (auto it = active_.begin(); it != active_.end();) {
        if (it->second.run.state() == RunState::running) {
            ++it;
            continue;
        }
        const auto& run = it->second.run;
        store_.save_run(it->second.id, run);
        log::info("rollout_finished", {{"rollout", it->first},
                                       {"run", static_cast<long long>(it->second.id)},
                                       {"result", to_string(run.state())},
                                       {"done", run.count(HostState::done)},
                                       {"failed", run.count(HostState::failed)},
                                       {"timed_out", run.count(HostState::timed_out)},
                                       {"skipped", run.count(HostState::skipped)}});
        it = active_.erase(it);
    }
}

void RolloutManager::host_booted(const MacAddress& mac) {
    report([&](RolloutRun& run, TimePoint now) { return run.booted(mac, now); });
}
void RolloutManager::host_imaging(const MacAddress& mac) {
    report([&](RolloutRun& run, TimePoint now) { return run.imaging(mac, now); });
}
void RolloutManager::host_postconfig(const MacAddress& mac) {
    report([&](RolloutRun& run, TimePoint now) { return run.postconfig(mac, now); });
}
void RolloutManager::host_done(const MacAddress& mac) {
    report([&](RolloutRun& run, TimePoint now) { return run.done(mac, now); });
}
void RolloutManager::host_failed(const MacAddress& mac, const std::string& error) {
    report([&](RolloutRun& run, TimePoint now) { return run.failed(mac, error, now); });
}

const config::Rollout* RolloutManager::imaging_rollout(const MacAddress& mac) const {
    if (!site_) return nullptr;
    for (const auto& [name, active] : active_) {
        if (active.run.finished()) continue;
        for (const auto& host : active.run.hosts()) {
            if (host.mac != mac) continue;
            const bool final = host.state == HostState::done || host.state == HostState::failed ||
                               host.state == HostState::timed_out ||
                               host.state == HostState::skipped;
            const auto rollout = site_->rollouts.find(name);
            if (!final && rollout != site_->rollouts.end()) return &rollout->second;
        }
    }
    return nullptr;
}

std::optional<TimePoint> RolloutManager::next_scheduled(const std::string& schedule) const {
    const auto it = schedules_.find(schedule);
    return it == schedules_.end() ? std::nullopt : it->second.next;
}

}  // namespace castline::daemon
