#pragma once
// The operator API for castlined's multicast sessions (JSON over HTTP, on the loopback-only API
// server):
//   GET  /api/v1/sessions                          every open session with its clients
//   POST /api/v1/sessions/NAME/start|pause|resume  204; 404 unknown; 409 not in a state for it
//   POST /api/v1/sessions/NAME/clients/ID/drop     204; 404 unknown session or client
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/site_config.hpp"
#include "daemon/http_router.hpp"
#include "daemon/session_service.hpp"
#include "multicast/sender.hpp"

namespace castline::daemon {

struct SessionSnapshot {
    std::string name;
    std::string image;
    std::string state;  // waiting, running, paused, ended
    std::string address;
    std::uint16_t control_port = 0;
    std::uint16_t data_port = 0;
    std::vector<multicast::ClientInfo> clients;
};

nlohmann::json sessions_json(const std::vector<SessionSnapshot>& sessions);

void register_session_api(HttpRouter& router, SessionService& sessions,
                          std::function<const config::SiteConfig&()> current);

}  // namespace castline::daemon
