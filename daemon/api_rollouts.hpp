#pragma once
// The operator API for rollouts and history (JSON over HTTP, on the loopback-only API server):
//   GET  /api/v1/rollouts                 configured and running rollouts
//   GET  /api/v1/rollouts/NAME            the current or latest run with every host
//   POST /api/v1/rollouts/NAME/start      201 with the run, 404 unknown, 409 already running
//   POST /api/v1/rollouts/NAME/cancel     200 with the run, 404 when not running
//   GET  /api/v1/history[?host=H&limit=N] per-host results, newest first; 404 for a host that
//                                         is neither in the config nor in the history
#include <nlohmann/json.hpp>

#include "daemon/http_router.hpp"
#include "daemon/rollout_manager.hpp"
#include "daemon/state_store.hpp"

namespace castline::daemon {

nlohmann::json run_to_json(const StoredRun& stored);
void register_rollout_api(HttpRouter& router, RolloutManager& manager, StateStore& store);

}  // namespace castline::daemon
