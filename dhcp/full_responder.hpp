#pragma once
// Full DHCP (RFC 2131): owns the pools of config.dhcp.pools, reservations from hosts[].address,
// and answers DISCOVER/REQUEST/DECLINE/RELEASE/INFORM by the state rules of RFC 2131 4.3.
// Pure apart from the LeaseTable it updates; changes to persist come back in the outcome.
#include <optional>
#include <string>
#include <vector>

#include "config/site_config.hpp"
#include "dhcp/lease_table.hpp"
#include "dhcp/message.hpp"
#include "dhcp/reply.hpp"

namespace castline::dhcp {

struct FullOutcome {
    std::optional<Reply> reply;
    std::string note;                  // for logs
    std::vector<Lease> lease_changes;  // bound/released/declined records to journal
};

class FullDhcpResponder {
  public:
    FullDhcpResponder(const config::SiteConfig& config, LeaseTable& leases);
    void set_config(const config::SiteConfig& config);

    FullOutcome respond(const Message& request, const RequestContext& context);

    // How long an OFFER holds its address for the client that was offered it. The hold is
    // tentative: when the pool has no free address, the oldest offer nobody requested goes to
    // the next client (never one made to a host listed in `hosts`), and the first REQUEST for
    // an offered address wins it.
    static constexpr std::int64_t offer_hold_seconds = 30;

  private:
    struct Subnet {
        const config::DhcpPool* pool;
        Ipv4Network network;
    };
    std::vector<Subnet> subnets_for(const Message& request, const RequestContext& context) const;
    const Subnet* subnet_containing(const std::vector<Subnet>& subnets, Ipv4Address a) const;
    const Subnet* range_containing(const std::vector<Subnet>& subnets, Ipv4Address a) const;
    std::optional<Ipv4Address> reservation(const MacAddress& mac) const;
    bool reserved_for_other(Ipv4Address address, const MacAddress& mac) const;
    // An unexpired offer to a client other than `mac`.
    bool offered_to_other(Ipv4Address a, const MacAddress& mac, std::int64_t now) const;
    // Whether `mac` may have `a`; with `over_offers`, another client's offer does not stop it.
    bool can_take(const std::vector<Subnet>& subnets, Ipv4Address a, const MacAddress& mac,
                  std::int64_t now, bool over_offers = false) const;
    Message answer(const Message& request, MessageType type, const Subnet& subnet,
                   Ipv4Address yiaddr, const RequestContext& context, bool with_lease) const;

    FullOutcome discover(const Message& request, const MacAddress& mac,
                         const std::vector<Subnet>& subnets, const RequestContext& context);
    FullOutcome request(const Message& request, const MacAddress& mac,
                        const std::vector<Subnet>& subnets, const RequestContext& context);
    FullOutcome bind(const Message& request, const MacAddress& mac, const Subnet& subnet,
                     Ipv4Address address, const RequestContext& context, std::string note);
    FullOutcome nak(const Message& request, const RequestContext& context, std::string why) const;

    const config::SiteConfig* config_;
    LeaseTable* leases_;
};

}  // namespace castline::dhcp
