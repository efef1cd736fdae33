#pragma once
// Proxy DHCP (PXE specification 2.1): answers PXE and HTTP boot clients with boot information
// only, beside the site's DHCP server, on port 67 and on port 4011. Pure: request in, reply out.
#include <optional>
#include <string>

#include "config/site_config.hpp"
#include "dhcp/message.hpp"
#include "dhcp/reply.hpp"

namespace castline::dhcp {

struct ProxyOutcome {
    std::optional<Reply> reply;
    std::string note;  // why there is no reply, or what the reply carries; for logs
};

class ProxyDhcpResponder {
  public:
    explicit ProxyDhcpResponder(const config::SiteConfig& config) : config_(&config) {}
    void set_config(const config::SiteConfig& config) { config_ = &config; }

    // Never answers: a non-PXE client, a malformed 93/94/97/175, a REQUEST on 67 that names
    // another server or none, anything but DISCOVER/REQUEST/INFORM, replies (op 2).
    ProxyOutcome respond(const Message& request, const RequestContext& context) const;

  private:
    const config::SiteConfig* config_;
};

}  // namespace castline::dhcp
