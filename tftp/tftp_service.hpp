#pragma once
// castlined's TFTP: one TftpServer per IPv4 address of each configured interface.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "config/site_config.hpp"
#include "tftp/tftp_server.hpp"
#include "tftp/virtual_files.hpp"

namespace castline::tftp {

class TftpService {
  public:
    // boot.tftp_port 0 disables the service. Interfaces without an IPv4 address are logged
    // and skipped; a port that cannot be bound throws.
    // Transfers take their descriptors from `descriptors` (may be null).
    TftpService(boost::asio::io_context& io, const config::SiteConfig& config,
                std::shared_ptr<const VirtualFiles> virtual_files,
                std::shared_ptr<const ServedFileNames> served_files = nullptr,
                std::shared_ptr<DescriptorBudget> descriptors = nullptr);
    ~TftpService();

    bool enabled() const { return !servers_.empty(); }
    const std::vector<std::unique_ptr<TftpServer>>& servers() const { return servers_; }

  private:
    std::vector<std::unique_ptr<TftpServer>> servers_;
};

}  // namespace castline::tftp
