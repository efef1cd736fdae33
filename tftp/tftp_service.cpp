#include "tftp/tftp_service.hpp"

#include <boost/system/system_error.hpp>

#include "common/listen_failure.hpp"
#include "common/log.hpp"
#include "tftp/interface_addresses.hpp"

namespace castline::tftp {

TftpService::TftpService(boost::asio::io_context& io, const config::SiteConfig& config,
                         std::shared_ptr<const VirtualFiles> virtual_files,
                         std::shared_ptr<const ServedFileNames> served_files,
                         std::shared_ptr<DescriptorBudget> descriptors) {
    const auto& boot = config.boot;
    if (boot.tftp_port == 0) {
        log::info("tftp_disabled", {{"reason", "boot.tftp_port is 0"}});
        return;
    }
    std::vector<std::string> missing;
    const auto addresses = interface_addresses(config.server.interfaces, missing);
    for (const auto& name : missing)
        log::warn("tftp_interface_skipped", {{"interface", name}, {"reason", "no IPv4 address"}});
    for (const auto& a : addresses) {
        TftpServerSettings settings{.address = a.address,
                                    .port = boot.tftp_port,
                                    .root = boot.root,
                                    .mtu = a.mtu,
                                    .max_blksize = boot.tftp.max_blksize,
                                    .max_windowsize = boot.tftp.max_windowsize,
                                    .timeout = boot.tftp.timeout,
                                    .retries = boot.tftp.retries,
                                    .virtual_files = virtual_files,
                                    .served_files = served_files,
                                    .descriptors = descriptors};
        try {
            servers_.push_back(std::make_unique<TftpServer>(io, std::move(settings)));
        } catch (const boost::system::system_error& e) {
            throw ListenFailure("TFTP", a.address.to_string(), boot.tftp_port, "boot.tftp_port",
                                e.code().message());
        }
        log::info("tftp_listening", {{"interface", a.interface},
                                     {"address", a.address.to_string()},
                                     {"port", servers_.back()->port()},
                                     {"mtu", a.mtu},
                                     {"root", boot.root.string()}});
    }
}

TftpService::~TftpService() = default;

}  // namespace castline::tftp
