#include "daemon/daemon.hpp"

#include <chrono>
#include <csignal>

#include "common/log.hpp"
#include "config/loader.hpp"
#include "config/served_files.hpp"
#include "daemon/api_sessions.hpp"
#include "daemon/config_changes.hpp"
#include "daemon/host_scripts.hpp"
#include "daemon/http_boot_files.hpp"
#include "daemon/job_service.hpp"
#include "daemon/session_service.hpp"

namespace castline::daemon {

Daemon::Daemon(std::filesystem::path config_path, config::SiteConfig config)
    : config_path_(std::move(config_path)), signals_(io_, SIGTERM, SIGINT, SIGHUP) {
    http_router_->add(boost::beast::http::verb::get, "/",
                      [this](const HttpRequest& request, const HttpClient& client) {
                          return boot_files_(request, client);
                      });
    const auto current = [this]() -> const config::SiteConfig& { return config_; };
    register_host_scripts(*virtual_files_, current,
                          [this](const config::Host& host, Ipv4Address requester) {
                              return jobs_->for_boot(host, requester);
                          });
    // Every TCP and UDP port but DHCP's first: a port another program holds stops castlined
    // (ListenFailure names it) before it answers any DHCP client.
    apply(std::move(config), false);
    start_boot_services(nullptr);
    fleet_ = std::make_unique<FleetService>(io_, config_);
    jobs_ = std::make_unique<JobService>(
        fleet_->store().database(), fleet_->rollouts(), current,
        [this](const MacAddress& mac) -> std::optional<Ipv4Address> {
            if (!dhcp_) return std::nullopt;
            const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::system_clock::now().time_since_epoch());
            return dhcp_->address_of(mac, now.count());
        });
    jobs_->register_boot_routes(*http_router_);
    jobs_->register_api_routes(fleet_->api_router());
    sessions_ = std::make_unique<SessionService>(io_);
    sessions_->apply(config_);
    register_session_api(fleet_->api_router(), *sessions_, current);
    start_dhcp();
}

int Daemon::run() {
    log::info("started", {{"config", config_path_.string()},
                          {"data_dir", config_.server.data_dir.string()},
                          {"pid", static_cast<long>(::getpid())},
                          {"descriptor_limit", descriptor_limit_},
                          {"peer_descriptors", descriptors_->limit()}});
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

void log_config_warnings(const std::vector<config::Diagnostic>& warnings) {
    for (const auto& w : warnings) log::warn("config_warning", {{"problem", w.to_string()}});
}

void Daemon::reload() {
    auto result = config::load_file(config_path_);
    if (result.ok()) {
        auto machine = config::check_machine(*result.config);
        result.diagnostics.insert(result.diagnostics.end(), machine.begin(), machine.end());
    }
    log_config_warnings(result.warnings);
    // The store (rollout history, jobs, leases) stays open where it is: moving it is a restart.
    if (result.ok() && result.config->server.data_dir != config_.server.data_dir)
        result.diagnostics.push_back(
            {result.config->server.location, "server.data_dir",
             "changed from " + config_.server.data_dir.string() + " to " +
                 result.config->server.data_dir.string() +
                 ", expected the same data_dir on reload (restart castlined to move the store)"});
    if (!result.diagnostics.empty()) {
        for (const auto& d : result.diagnostics)
            log::error("config_error", {{"problem", d.to_string()}});
        log::error("reload_rejected", {{"config", config_path_.string()},
                                       {"errors", result.diagnostics.size()},
                                       {"keeping", "previous config"}});
        return;
    }
    const auto previous = config_;
    const auto changes = describe_changes(previous, *result.config);
    apply(std::move(*result.config));
    try {
        start_boot_services(&previous);
        fleet_->apply(config_);
        sessions_->apply(config_);
    } catch (const std::exception& e) {
        log::error("boot_services_failed", {{"error", e.what()}});
    }
    log::info("reloaded", {{"config", config_path_.string()},
                           {"changed", changes.empty() ? std::string("nothing") : changes}});
}

void Daemon::apply(config::SiteConfig config, bool restart_dhcp) {
    std::filesystem::create_directories(config.server.data_dir);
    log::set_level(config.server.log_level);
    config_ = std::move(config);
    if (restart_dhcp) start_dhcp();
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

void Daemon::start_boot_services(const config::SiteConfig* previous) {
    // The servers share this map: it follows every reload, restarted servers or not.
    served_files_->clear();
    for (const auto& served : config::served_files(config_))
        served_files_->emplace(served.file, served.key_path);
    const auto& b = config_.boot;
    if (previous) {
        const auto& p = previous->boot;
        if (previous->server.interfaces == config_.server.interfaces && p.root == b.root &&
            p.tftp_port == b.tftp_port && p.http_port == b.http_port &&
            p.tftp.max_blksize == b.tftp.max_blksize &&
            p.tftp.max_windowsize == b.tftp.max_windowsize && p.tftp.timeout == b.tftp.timeout &&
            p.tftp.retries == b.tftp.retries && p.http == b.http)
            return;
    }
    tftp_.reset();
    http_.reset();
    boot_files_ =
        boot_files_handler(std::make_shared<tftp::BootRoot>(b.root), virtual_files_, served_files_);
    tftp_ = std::make_unique<tftp::TftpService>(io_, config_, virtual_files_, served_files_,
                                                descriptors_);
    http_ = std::make_unique<HttpService>(io_, config_, http_router_, descriptors_);
}

}  // namespace castline::daemon
