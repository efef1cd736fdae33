#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <memory>

#include "config/site_config.hpp"
#include "dhcp/server.hpp"

namespace castline::daemon {

// castlined: every service on one io_context, driven by one site config.
class Daemon {
  public:
    Daemon(std::filesystem::path config_path, config::SiteConfig config);

    // Runs until SIGTERM or SIGINT; returns the process exit code.
    int run();

  private:
    void wait_for_signal();
    void reload();
    void apply(config::SiteConfig config);
    void start_dhcp();

    std::filesystem::path config_path_;
    config::SiteConfig config_;
    boost::asio::io_context io_;
    boost::asio::signal_set signals_;
    std::unique_ptr<dhcp::DhcpServer> dhcp_;  // by dhcp.mode; null when off
};

}  // namespace castline::daemon
