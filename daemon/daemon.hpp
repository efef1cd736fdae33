#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>

#include "config/site_config.hpp"

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

    std::filesystem::path config_path_;
    config::SiteConfig config_;
    boost::asio::io_context io_;
    boost::asio::signal_set signals_;
};

}  // namespace castline::daemon
