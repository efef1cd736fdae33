#include "daemon/api_rollouts.hpp"

#include "daemon/api_json.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace castline::daemon {
namespace {

using nlohmann::json;

json time_json(const std::optional<TimePoint>& t) {
    if (!t) return nullptr;
    const std::time_t seconds = t->time_since_epoch().count();
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    return text;
}

json host_json(const RolloutHost& host) {
    return {{"mac", host.mac.to_string()},
            {"name", host.name},
            {"state", to_string(host.state)},
            {"woken_at", time_json(host.woken_at)},
            {"booted_at", time_json(host.booted_at)},
            {"imaging_at", time_json(host.imaging_at)},
            {"postconfig_at", time_json(host.postconfig_at)},
            {"finished_at", time_json(host.finished_at)},
            {"error", host.error}};
}

constexpr std::string_view rollouts_prefix = "/api/v1/rollouts/";

}  // namespace

json run_to_json(const StoredRun& stored) {
    const auto& run = stored.run;
    json hosts = json::array();
    for (const auto& host : run.hosts()) hosts.push_back(host_json(host));
    json counts = json::object();
    for (auto s : {HostState::pending, HostState::woken, HostState::booted, HostState::imaging,
                   HostState::postconfig, HostState::done, HostState::failed, HostState::timed_out,
                   HostState::skipped})
        counts[std::string(to_string(s))] = run.count(s);
    return {{"run", stored.id},
            {"rollout", run.name()},
            {"state", to_string(run.state())},
            {"started_at", time_json(run.started())},
            {"finished_at", time_json(run.finished())},
            {"counts", counts},
            {"hosts", hosts}};
}

void register_rollout_api(HttpRouter& router, RolloutManager& manager, StateStore& store) {
    router.add(http::verb::get, "/api/v1/rollouts",
               [&manager](const HttpRequest& request, const HttpClient&) -> HttpResponse {
                   std::string_view path = request.target();
                   path = path.substr(0, path.find('?'));
                   if (path == "/api/v1/rollouts" || path == rollouts_prefix)
                       return json_response(
                           request, http::status::ok,
                           {{"configured", manager.configured()}, {"running", manager.running()}});
                   const std::string name(path.substr(rollouts_prefix.size()));
                   const auto status = manager.status(name);
                   if (!status) {
                       if (!manager.is_configured(name))
                           return error_response(request, http::status::not_found,
                                                 "no rollout named '" + name + "'");
                       return json_response(request, http::status::ok,
                                            {{"rollout", name}, {"state", "never run"}});
                   }
                   return json_response(request, http::status::ok, run_to_json(*status));
               });
    router.add(
        http::verb::post, std::string(rollouts_prefix),
        [&manager](const HttpRequest& request, const HttpClient&) -> HttpResponse {
            std::string_view path = request.target();
            path = path.substr(rollouts_prefix.size());
            path = path.substr(0, path.find('?'));
            const auto slash = path.rfind('/');
            if (slash == std::string_view::npos)
                return error_response(request, http::status::not_found,
                                      "expected NAME/start or NAME/cancel");
            const std::string name(path.substr(0, slash));
            const auto action = path.substr(slash + 1);
            if (action == "start") {
                std::string error;
                if (!manager.start(name, error))
                    return error_response(request,
                                          manager.is_configured(name) ? http::status::conflict
                                                                      : http::status::not_found,
                                          error);
                return json_response(request, http::status::created,
                                     run_to_json(*manager.status(name)));
            }
            if (action == "cancel") {
                if (!manager.cancel(name))
                    return error_response(request, http::status::not_found,
                                          "rollout '" + name + "' is not running");
                return json_response(request, http::status::ok, run_to_json(*manager.status(name)));
            }
            return error_response(
                request, http::status::not_found,
                "unknown action '" + std::string(action) + "', expected start or cancel");
        });
    router.add(http::verb::get, "/api/v1/history",
               [&store, &manager](const HttpRequest& request, const HttpClient&) -> HttpResponse {
                   const auto host = query_value(request.target(), "host");
                   const auto limit_text = query_value(request.target(), "limit");
                   int limit = 100;
                   if (!limit_text.empty()) {
                       const auto [end, ec] = std::from_chars(
                           limit_text.data(), limit_text.data() + limit_text.size(), limit);
                       if (ec != std::errc{} || end != limit_text.data() + limit_text.size() ||
                           limit < 1 || limit > 10000)
                           return error_response(
                               request, http::status::bad_request,
                               "limit '" + limit_text + "' is not a number from 1 to 10000");
                   }
                   const auto history = store.history(host, limit);
                   // A typo must not look like a host without results.
                   if (!host.empty() && history.empty() && !manager.knows_host(host))
                       return error_response(
                           request, http::status::not_found,
                           "no host " + host + " (by name or MAC) in the config or the history");
                   json entries = json::array();
                   for (const auto& entry : history) {
                       auto item = host_json(entry.host);
                       item["run"] = entry.run_id;
                       item["rollout"] = entry.rollout;
                       item["run_state"] = to_string(entry.run_state);
                       item["run_started_at"] = time_json(entry.run_started);
                       entries.push_back(std::move(item));
                   }
                   return json_response(request, http::status::ok, {{"history", entries}});
               });
}

}  // namespace castline::daemon
