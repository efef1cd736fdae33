#pragma once
// castlined's HTTP: one HttpServer per IPv4 address of each configured interface, all sharing
// one router.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "config/site_config.hpp"
#include "daemon/http_server.hpp"

namespace castline::daemon {

class HttpService {
  public:
    // boot.http_port 0 disables the service. A port that cannot be bound throws.
    // Connections take their descriptors from `descriptors` (may be null).
    HttpService(boost::asio::io_context& io, const config::SiteConfig& config,
                std::shared_ptr<const HttpRouter> router,
                std::shared_ptr<DescriptorBudget> descriptors = nullptr);
    ~HttpService();

    const std::vector<std::unique_ptr<HttpServer>>& servers() const { return servers_; }

  private:
    std::vector<std::unique_ptr<HttpServer>> servers_;
};

}  // namespace castline::daemon
