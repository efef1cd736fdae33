#include "daemon/fleet_service.hpp"

#include <boost/system/system_error.hpp>

#include "common/listen_failure.hpp"
#include "common/log.hpp"
#include "daemon/api_rollouts.hpp"
#include "daemon/job_store.hpp"

namespace castline::daemon {

FleetService::FleetService(boost::asio::io_context& io, const config::SiteConfig& config)
    : io_(io),
      config_(config),
      store_(config.server.data_dir),
      rollouts_(
          io, store_, [this](const MacAddress& mac) { wake(mac); },
          [] { return std::chrono::floor<std::chrono::seconds>(Clock::now()); }) {
    register_rollout_api(*api_router_, rollouts_, store_);
    apply(config);
    compact_history();
    rollouts_.start_ticking();
}

FleetService::~FleetService() {
    rollouts_.stop();
}

void FleetService::apply(const config::SiteConfig& config) {
    const bool port_changed = !api_server_ || config.server.api_port != config_.server.api_port;
    config_ = config;
    wake_senders_.clear();  // reopened on first use, on the interfaces of this config
    rollouts_.apply(config);
    if (!port_changed) return;
    if (api_server_) api_server_->stop();
    api_server_.reset();
    if (config.server.api_port == 0) return;
    // Every API client is 127.0.0.1: the per-client cap is the server's own.
    try {
        api_server_ =
            std::make_unique<HttpServer>(io_,
                                         HttpServerSettings{.address = Ipv4Address{0x7f000001},
                                                            .port = config.server.api_port,
                                                            .max_connections = 64,
                                                            .max_connections_per_client = 64,
                                                            .reads_at_debug = true},
                                         api_router_);
    } catch (const boost::system::system_error& e) {
        throw ListenFailure("the operator API", "127.0.0.1", config.server.api_port,
                            "server.api_port", e.code().message());
    }
    log::info("api_listening", {{"address", "127.0.0.1"}, {"port", api_server_->port()}});
}

void FleetService::wake(const MacAddress& mac) {
    const auto* host = config_.find_host(mac);
    const std::string name = host ? host->name : std::string();
    for (const auto& interface : config_.server.interfaces) {
        try {
            auto& sender = wake_senders_[interface];
            if (!sender)
                sender = std::make_unique<WakeSender>(
                    WakeOptions{.interface = interface, .repeat = config_.wake.repeat});
            sender->wake(mac, name);
        } catch (const WakeError& e) {
            wake_senders_.erase(interface);
            log::error("wake_failed", {{"mac", mac.to_string()},
                                       {"host", name},
                                       {"interface", interface},
                                       {"error", e.what()}});
        }
    }
}

void FleetService::compact_history() {
    const auto cutoff =
        std::chrono::floor<std::chrono::seconds>(Clock::now()) - config_.server.history_keep;
    if (const int removed = store_.compact(cutoff); removed > 0)
        log::info("history_compacted", {{"runs_removed", removed}});
    // Jobs go with the history; each host's latest stays, as it decides the host's next boot.
    if (const int removed = JobStore(store_.database()).prune(cutoff.time_since_epoch().count());
        removed > 0)
        log::info("jobs_pruned", {{"jobs_removed", removed}});
}

}  // namespace castline::daemon
