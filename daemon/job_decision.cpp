#include "daemon/job_decision.hpp"

namespace castline::daemon {

std::optional<JobDecision> decide_job(const config::SiteConfig& config, const config::Host& host,
                                      const config::Rollout* rollout) {
    const auto group_it = config.groups.find(host.group);
    const config::Group* group = group_it == config.groups.end() ? nullptr : &group_it->second;
    const auto action = host.action ? *host.action
                        : group     ? group->action
                                    : config::HostAction::local;
    if (action != config::HostAction::image) return std::nullopt;

    JobDecision d;
    const auto pick = [&](const std::string& from_rollout, const std::string& from_group) {
        return rollout && !from_rollout.empty() ? from_rollout : from_group;
    };
    d.image = pick(rollout ? rollout->image : "", group ? group->image : "");
    if (d.image.empty()) return std::nullopt;
    d.session = pick(rollout ? rollout->session : "", group ? group->session : "");
    if (const auto s = config.sessions.find(d.session);
        s == config.sessions.end() || s->second.image != d.image)
        d.session.clear();
    d.postconfig = pick(rollout ? rollout->postconfig : "", group ? group->postconfig : "");

    const config::JobSettings none;
    const auto& mine = host.job;
    const auto& theirs = group ? group->job : none;
    d.disk = mine.disk.value_or(theirs.disk.value_or(config::DiskRule{}));
    d.verify = mine.verify.value_or(theirs.verify.value_or(true));
    d.power = mine.power.value_or(theirs.power.value_or(config::PowerAction::reboot));
    d.on_error = mine.on_error.value_or(theirs.on_error.value_or(config::ErrorAction::wait));
    return d;
}

std::string to_string(const config::DiskRule& rule) {
    switch (rule.kind) {
        case config::DiskRule::Kind::only_fixed:
            return "only-fixed";
        case config::DiskRule::Kind::path:
            return "path";
        case config::DiskRule::Kind::model:
            return "model";
        case config::DiskRule::Kind::serial:
            return "serial";
        case config::DiskRule::Kind::size:
            return "size";
    }
    return "?";
}

std::string to_string(config::PowerAction power) {
    switch (power) {
        case config::PowerAction::reboot:
            return "reboot";
        case config::PowerAction::poweroff:
            return "poweroff";
        case config::PowerAction::stay:
            return "stay";
    }
    return "?";
}

std::string to_string(config::ErrorAction action) {
    return action == config::ErrorAction::poweroff ? "poweroff" : "wait";
}

}  // namespace castline::daemon
