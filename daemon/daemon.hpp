#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <memory>

#include "config/loader.hpp"
#include "config/site_config.hpp"
#include "daemon/fleet_service.hpp"
#include "daemon/http_router.hpp"
#include "daemon/http_service.hpp"
#include "daemon/job_service.hpp"
#include "daemon/session_service.hpp"
#include "dhcp/server.hpp"
#include "tftp/tftp_service.hpp"
#include "tftp/virtual_files.hpp"

namespace castline::daemon {

// Logs each warning of a loaded config (event=config_warning), at start and on reload.
void log_config_warnings(const std::vector<config::Diagnostic>& warnings);

// castlined: every service on one io_context, driven by one site config.
class Daemon {
  public:
    Daemon(std::filesystem::path config_path, config::SiteConfig config);

    // Runs until SIGTERM or SIGINT; returns the process exit code.
    int run();

    // Where other parts register generated boot files and HTTP handlers.
    tftp::VirtualFiles& virtual_files() { return *virtual_files_; }
    HttpRouter& http_router() { return *http_router_; }

  private:
    void wait_for_signal();
    void reload();
    void apply(config::SiteConfig config, bool restart_dhcp = true);
    void start_dhcp();

    std::filesystem::path config_path_;
    config::SiteConfig config_;
    // The soft RLIMIT_NOFILE, raised to the hard limit at start, and the part of it that HTTP
    // connections and TFTP transfers share (docs/http.md, "Limits").
    std::size_t descriptor_limit_ = raise_descriptor_limit();
    std::shared_ptr<DescriptorBudget> descriptors_ =
        std::make_shared<DescriptorBudget>(peer_descriptor_budget(descriptor_limit_));
    boost::asio::io_context io_;
    boost::asio::signal_set signals_;

    // Boot file services (TFTP, HTTP); restarted only when their part of the config changes.
    void start_boot_services(const config::SiteConfig* previous);
    std::shared_ptr<tftp::VirtualFiles> virtual_files_ = std::make_shared<tftp::VirtualFiles>();
    std::shared_ptr<HttpRouter> http_router_ = std::make_shared<HttpRouter>();
    std::shared_ptr<tftp::ServedFileNames> served_files_ =
        std::make_shared<tftp::ServedFileNames>();
    HttpHandler boot_files_;
    std::unique_ptr<tftp::TftpService> tftp_;
    std::unique_ptr<HttpService> http_;
    std::unique_ptr<FleetService> fleet_;
    std::unique_ptr<JobService> jobs_;  // uses fleet_'s store and rollouts: declared after it
    std::unique_ptr<SessionService> sessions_;
    std::unique_ptr<dhcp::DhcpServer> dhcp_;  // by dhcp.mode; null when off
};

}  // namespace castline::daemon
