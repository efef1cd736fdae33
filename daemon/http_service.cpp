#include "daemon/http_service.hpp"

#include <boost/system/system_error.hpp>

#include "common/listen_failure.hpp"
#include "common/log.hpp"
#include "tftp/interface_addresses.hpp"

namespace castline::daemon {

HttpService::HttpService(boost::asio::io_context& io, const config::SiteConfig& config,
                         std::shared_ptr<const HttpRouter> router,
                         std::shared_ptr<DescriptorBudget> descriptors) {
    if (config.boot.http_port == 0) {
        log::info("http_disabled", {{"reason", "boot.http_port is 0"}});
        return;
    }
    std::vector<std::string> missing;
    const auto addresses = tftp::interface_addresses(config.server.interfaces, missing);
    for (const auto& name : missing)
        log::warn("http_interface_skipped", {{"interface", name}, {"reason", "no IPv4 address"}});
    for (const auto& a : addresses) {
        const auto& limits = config.boot.http;
        try {
            servers_.push_back(std::make_unique<HttpServer>(
                io,
                HttpServerSettings{.address = a.address,
                                   .port = config.boot.http_port,
                                   .idle_timeout = limits.idle_timeout,
                                   .send_timeout = limits.send_timeout,
                                   .max_connections_per_client = limits.max_connections_per_client,
                                   .descriptors = descriptors},
                router));
        } catch (const boost::system::system_error& e) {
            throw ListenFailure("HTTP boot files", a.address.to_string(), config.boot.http_port,
                                "boot.http_port", e.code().message());
        }
        log::info("http_listening", {{"interface", a.interface},
                                     {"address", a.address.to_string()},
                                     {"port", servers_.back()->port()}});
    }
}

HttpService::~HttpService() = default;

}  // namespace castline::daemon
