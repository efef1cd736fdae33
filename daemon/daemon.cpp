#include "daemon/daemon.hpp"

#include <csignal>

#include "common/log.hpp"
#include "config/loader.hpp"

namespace castline::daemon {

Daemon::Daemon(std::filesystem::path config_path, config::SiteConfig config)
    : config_path_(std::move(config_path)), signals_(io_, SIGTERM, SIGINT, SIGHUP) {
    apply(std::move(config));
}

int Daemon::run() {
    log::info("started", {{"config", config_path_.string()},
                          {"data_dir", config_.server.data_dir.string()},
                          {"pid", static_cast<long>(::getpid())}});
    wait_for_signal();
    io_.run();
    log::info("stopped");
    return 0;
}

void Daemon::wait_for_signal() {
    signals_.async_wait([this](const boost::system::error_code& error, int signal) {
        if (error) return;
        if (signal == SIGHUP) {
            reload();
            wait_for_signal();
            return;
        }
        log::info("stopping", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
        io_.stop();
    });
}

void Daemon::reload() {
    auto result = config::load_file(config_path_);
    if (result.ok()) {
        auto machine = config::check_machine(*result.config);
        result.diagnostics.insert(result.diagnostics.end(), machine.begin(), machine.end());
    }
    if (!result.diagnostics.empty()) {
        for (const auto& d : result.diagnostics)
            log::error("config_error", {{"problem", d.to_string()}});
        log::error("reload_rejected", {{"config", config_path_.string()},
                                       {"errors", result.diagnostics.size()},
                                       {"keeping", "previous config"}});
        return;
    }
    apply(std::move(*result.config));
    log::info("reloaded", {{"config", config_path_.string()}});
}

void Daemon::apply(config::SiteConfig config) {
    std::filesystem::create_directories(config.server.data_dir);
    log::set_level(config.server.log_level);
    config_ = std::move(config);
    start_dhcp();
}

// A reload replaces the DHCP server: leases are on disk before any reply leaves, so the new
// server starts from the same state.
void Daemon::start_dhcp() {
    if (dhcp_) dhcp_->stop();
    dhcp_.reset();
    if (config_.dhcp.mode == config::DhcpMode::off) return;
    try {
        dhcp_ = std::make_unique<dhcp::DhcpServer>(io_, config_);
        dhcp_->start();
    } catch (const std::exception& e) {
        log::error("dhcp_not_started", {{"error", e.what()}});
        dhcp_.reset();
    }
}

}  // namespace castline::daemon
