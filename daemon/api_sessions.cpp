#include "daemon/api_sessions.hpp"

#include <charconv>
#include <cmath>

#include "common/log.hpp"
#include "daemon/api_json.hpp"

namespace castline::daemon {
namespace {

using nlohmann::json;
constexpr std::string_view prefix = "/api/v1/sessions/";

double rounded(double value, double step) {
    return std::round(value / step) * step;
}

std::vector<std::string> path_parts(std::string_view path) {
    std::vector<std::string> parts;
    while (!path.empty()) {
        const auto slash = path.find('/');
        parts.emplace_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return parts;
}

HttpResponse act(const HttpRequest& request, SessionService& sessions) {
    const auto target = std::string_view(request.target());
    const auto parts = path_parts(target.substr(prefix.size(), target.find('?') - prefix.size()));
    if (parts.empty() || parts[0].empty())
        return error_response(request, http::status::not_found, "no session named");
    auto* sender = sessions.sender(parts[0]);
    if (!sender)
        return error_response(request, http::status::not_found,
                              "no open session named '" + parts[0] + "'");
    const auto state = sender->state();
    const auto conflict = [&](const std::string& what) {
        return error_response(request, http::status::conflict,
                              "session '" + parts[0] + "' is " + state + ", " + what);
    };
    const auto done = [&](const char* event) {
        log::info(event, {{"session", parts[0]}, {"by", "operator"}});
        return http_text_response(request, http::status::no_content, "");
    };
    if (parts.size() == 2 && parts[1] == "start") {
        switch (sender->start_by_hand()) {
            case multicast::ManualStart::not_waiting:
                return conflict("not waiting for clients");
            case multicast::ManualStart::nobody_joined:
                // Refused, not remembered: an armed session would start with the next single
                // receiver whatever its rule says.
                return error_response(
                    request, http::status::conflict,
                    "session '" + parts[0] + "': no clients have joined, nothing to start");
            case multicast::ManualStart::start:
                break;
        }
        return done("session_started_by_hand");
    }
    if (parts.size() == 2 && parts[1] == "pause") {
        if (state != "running") return conflict("not running");
        sender->pause();
        return done("session_paused");
    }
    if (parts.size() == 2 && parts[1] == "resume") {
        if (state != "paused") return conflict("not paused");
        sender->resume();
        return done("session_resumed");
    }
    if (parts.size() == 4 && parts[1] == "clients" && parts[3] == "drop") {
        std::uint32_t id = 0;
        const auto& text = parts[2];
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || end != text.data() + text.size() || !sender->drop(id))
            return error_response(request, http::status::not_found,
                                  "session '" + parts[0] + "' has no active client " + text);
        return done("session_client_dropped");
    }
    return error_response(request, http::status::not_found,
                          "no such session action, expected start, pause, resume or "
                          "clients/ID/drop");
}

}  // namespace

json sessions_json(const std::vector<SessionSnapshot>& sessions) {
    json list = json::array();
    for (const auto& s : sessions) {
        json clients = json::array();
        for (const auto& c : s.clients)
            clients.push_back({{"id", c.id},
                               {"name", c.name},
                               {"peer", c.peer},
                               {"state", c.state},
                               {"percent", rounded(c.progress * 100, 0.1)},
                               {"rate_mbit", rounded(c.rate_mbit, 0.1)},
                               {"loss_percent", rounded(c.loss * 100, 0.01)},
                               {"reason", c.reason}});
        list.push_back({{"name", s.name},
                        {"image", s.image},
                        {"state", s.state},
                        {"address", s.address},
                        {"control_port", s.control_port},
                        {"data_port", s.data_port},
                        {"clients", clients}});
    }
    return list;
}

void register_session_api(HttpRouter& router, SessionService& sessions,
                          std::function<const config::SiteConfig&()> current) {
    router.add(
        http::verb::get, "/api/v1/sessions",
        [&sessions, current](const HttpRequest& request, const HttpClient&) {
            std::vector<SessionSnapshot> list;
            const auto& config = current();
            for (const auto& name : sessions.names()) {
                auto* sender = sessions.sender(name);
                SessionSnapshot s{.name = name,
                                  .state = sender->state(),
                                  .control_port = sender->control_port(),
                                  .data_port = sender->data_port(),
                                  .clients = sender->clients()};
                if (const auto it = config.sessions.find(name); it != config.sessions.end()) {
                    s.image = it->second.image;
                    s.address = it->second.address.to_string();
                }
                list.push_back(std::move(s));
            }
            return HttpResponse(json_response(request, http::status::ok, sessions_json(list)));
        });
    router.add(http::verb::post, std::string(prefix),
               [&sessions](const HttpRequest& request, const HttpClient&) {
                   return act(request, sessions);
               });
}

}  // namespace castline::daemon
