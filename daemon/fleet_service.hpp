#pragma once
// castlined's fleet side: the state store, rollouts and schedules, Wake-on-LAN senders, and the
// operator API server on 127.0.0.1:server.api_port.
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>

#include "config/site_config.hpp"
#include "daemon/http_router.hpp"
#include "daemon/http_server.hpp"
#include "daemon/rollout_manager.hpp"
#include "daemon/state_store.hpp"
#include "daemon/wake_sender.hpp"

namespace castline::daemon {

class FleetService {
  public:
    FleetService(boost::asio::io_context& io, const config::SiteConfig& config);
    ~FleetService();

    // Takes a new config (start or reload). Throws when the API port cannot be bound.
    void apply(const config::SiteConfig& config);

    RolloutManager& rollouts() { return rollouts_; }
    StateStore& store() { return store_; }
    // The admin router, for other parts that add operator endpoints.
    HttpRouter& api_router() { return *api_router_; }

  private:
    void wake(const MacAddress& mac);
    void compact_history();

    boost::asio::io_context& io_;
    config::SiteConfig config_;
    StateStore store_;
    RolloutManager rollouts_;
    std::shared_ptr<HttpRouter> api_router_ = std::make_shared<HttpRouter>();
    std::unique_ptr<HttpServer> api_server_;
    std::map<std::string, std::unique_ptr<WakeSender>> wake_senders_;  // by interface
};

}  // namespace castline::daemon
