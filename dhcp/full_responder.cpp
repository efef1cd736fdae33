#include "dhcp/full_responder.hpp"

#include "dhcp/boot_answer.hpp"
#include "dhcp/client_options.hpp"

namespace castline::dhcp {

namespace {
// A relay's giaddr says which subnet the client is on. Without a configured mask, a pool takes
// the prefix of the interface the request came in on when it is that pool's interface, else /24.
constexpr int relay_default_prefix = 24;

Ipv4Network network_of(Ipv4Address address, std::uint32_t mask) {
    int prefix = 0;
    for (std::uint32_t m = mask; m & 0x80000000u; m <<= 1) ++prefix;
    return {Ipv4Address{address.value & mask}, prefix};
}
}  // namespace

FullDhcpResponder::FullDhcpResponder(const config::SiteConfig& config, LeaseTable& leases)
    : config_(&config), leases_(&leases) {}

void FullDhcpResponder::set_config(const config::SiteConfig& config) {
    config_ = &config;
}

std::vector<FullDhcpResponder::Subnet> FullDhcpResponder::subnets_for(
    const Message& request, const RequestContext& context) const {
    std::vector<Subnet> out;
    for (const auto& pool : config_->dhcp.pools) {
        if (!request.giaddr.is_zero()) {
            std::uint32_t mask = Ipv4Network{{}, relay_default_prefix}.mask();
            if (pool.subnet_mask)
                mask = pool.subnet_mask->value;
            else if (pool.interface == context.interface)
                mask = context.interface_network.mask();
            const auto network = network_of(pool.first, mask);
            if (network.contains(request.giaddr)) out.push_back({&pool, network});
        } else if (pool.interface == context.interface) {
            const std::uint32_t mask =
                pool.subnet_mask ? pool.subnet_mask->value : context.interface_network.mask();
            // A pool of another subnet on this interface serves relayed clients only.
            const auto network = network_of(pool.first, mask);
            if (network.contains(context.server())) out.push_back({&pool, network});
        }
    }
    return out;
}

const FullDhcpResponder::Subnet* FullDhcpResponder::subnet_containing(
    const std::vector<Subnet>& subnets, Ipv4Address a) const {
    for (const auto& s : subnets)
        if (s.network.contains(a)) return &s;
    return nullptr;
}

const FullDhcpResponder::Subnet* FullDhcpResponder::range_containing(
    const std::vector<Subnet>& subnets, Ipv4Address a) const {
    for (const auto& s : subnets)
        if (s.pool->first <= a && a <= s.pool->last) return &s;
    return nullptr;
}

// A host's address in `hosts`, else one in dhcp.reservations (config checks forbid both).
std::optional<Ipv4Address> FullDhcpResponder::reservation(const MacAddress& mac) const {
    if (const auto* host = config_->find_host(mac); host && host->address) return host->address;
    for (const auto& r : config_->dhcp.reservations)
        if (r.mac == mac) return r.address;
    return std::nullopt;
}

bool FullDhcpResponder::reserved_for_other(Ipv4Address address, const MacAddress& mac) const {
    for (const auto& host : config_->hosts)
        if (host.address == address && host.mac != mac) return true;
    for (const auto& r : config_->dhcp.reservations)
        if (r.address == address && r.mac != mac) return true;
    return false;
}

bool FullDhcpResponder::offered_to_other(Ipv4Address a, const MacAddress& mac,
                                         std::int64_t now) const {
    const auto* lease = leases_->at(a);
    return lease && lease->state == LeaseState::offered && lease->mac != mac &&
           lease->expires > now;
}

bool FullDhcpResponder::can_take(const std::vector<Subnet>& subnets, Ipv4Address a,
                                 const MacAddress& mac, std::int64_t now, bool over_offers) const {
    if (reserved_for_other(a, mac)) return false;
    if (!leases_->free_for(a, mac, now) && !(over_offers && offered_to_other(a, mac, now)))
        return false;
    if (reservation(mac) == a) return subnet_containing(subnets, a) != nullptr;
    return range_containing(subnets, a) != nullptr;
}

Message FullDhcpResponder::answer(const Message& request, MessageType type, const Subnet& subnet,
                                  Ipv4Address yiaddr, const RequestContext& context,
                                  bool with_lease) const {
    const auto& pool = *subnet.pool;
    auto reply = reply_skeleton(request, type);
    reply.yiaddr = yiaddr;
    if (type == MessageType::ack) reply.ciaddr = request.ciaddr;
    reply.options.set_address(option::server_identifier, context.server());
    if (with_lease) {
        const auto lease = static_cast<std::uint32_t>(pool.lease_time.count());
        reply.options.set_u32(option::lease_time, lease);
        reply.options.set_u32(option::renewal_time, lease / 2);
        reply.options.set_u32(option::rebinding_time,
                              static_cast<std::uint32_t>(std::uint64_t{lease} * 7 / 8));
    }
    reply.options.set_address(option::subnet_mask, Ipv4Address{subnet.network.mask()});
    if (pool.router) reply.options.set_address(option::router, *pool.router);
    if (!pool.dns_servers.empty())
        reply.options.set_addresses(option::dns_servers, pool.dns_servers);
    if (!pool.domain_name.empty()) reply.options.set_string(option::domain_name, pool.domain_name);
    reply.options.set_address(option::broadcast_address, subnet.network.broadcast());
    for (const auto& extra : config_->dhcp.options) reply.options.set(extra.code, extra.value);

    const auto client = describe_client(request);
    if (client.is_boot_client() && client.mac) {
        const auto decision =
            pxe::choose_boot_file({*client.mac, client.architecture, client.ipxe, client.http},
                                  *config_, context.server());
        if (decision.boot)
            add_boot_answer(request, client, *decision.boot, context.server(), BootStep::full,
                            reply);
    }
    echo_relay_information(request, reply);
    return reply;
}

FullOutcome FullDhcpResponder::nak(const Message& request, const RequestContext& context,
                                   std::string why) const {
    auto reply = reply_skeleton(request, MessageType::nak);
    reply.options.set_address(option::server_identifier, context.server());
    reply.options.set_string(option::message, why);
    echo_relay_information(request, reply);
    return {addressed(request, std::move(reply)), "NAK: " + why, {}};
}

FullOutcome FullDhcpResponder::respond(const Message& request, const RequestContext& context) {
    if (request.op != op_request) return {std::nullopt, "not a BOOTREQUEST", {}};
    const auto type = request.type();
    if (!type) return {std::nullopt, "no DHCP message type (BOOTP is not served)", {}};
    const auto mac = request.mac();
    if (!mac) return {std::nullopt, "chaddr is not an Ethernet address", {}};
    const auto subnets = subnets_for(request, context);
    if (subnets.empty())
        return {std::nullopt,
                request.giaddr.is_zero() ? "no pool on interface " + context.interface
                                         : "no pool for relay " + request.giaddr.to_string(),
                {}};

    const auto server_id = request.options.address(option::server_identifier);
    const auto now = context.now;
    switch (*type) {
        case MessageType::discover:
            return discover(request, *mac, subnets, context);
        case MessageType::request:
            return this->request(request, *mac, subnets, context);
        case MessageType::decline: {
            if (server_id && *server_id != context.server())
                return {std::nullopt, "DECLINE for another server", {}};
            const auto address = request.options.address(option::requested_address);
            const auto* lease = address ? leases_->at(*address) : nullptr;
            if (!lease || lease->mac != *mac)
                return {std::nullopt, "DECLINE of an address the client does not hold", {}};
            // RFC 2131 4.3.3: the address is in use by someone else; keep it out of the pool.
            const Lease declined{*address, *mac, LeaseState::declined,
                                 now + subnets.front().pool->lease_time.count()};
            leases_->put(declined);
            return {std::nullopt, "declined " + address->to_string(), {declined}};
        }
        case MessageType::release: {
            if (server_id && *server_id != context.server())
                return {std::nullopt, "RELEASE for another server", {}};
            const auto* lease = leases_->at(request.ciaddr);
            if (!lease || lease->mac != *mac || lease->state != LeaseState::bound)
                return {std::nullopt, "RELEASE of an address the client does not hold", {}};
            const Lease released{request.ciaddr, *mac, LeaseState::released, now};
            leases_->put(released);
            return {std::nullopt, "released " + request.ciaddr.to_string(), {released}};
        }
        case MessageType::inform: {
            const auto* subnet = request.ciaddr.is_zero()
                                     ? &subnets.front()
                                     : subnet_containing(subnets, request.ciaddr);
            if (!subnet) return {std::nullopt, "INFORM from outside our subnets", {}};
            // RFC 2131 4.3.5: no lease time and no yiaddr, sent to ciaddr.
            auto reply = answer(request, MessageType::ack, *subnet, {}, context, false);
            return {addressed(request, std::move(reply)), "INFORM answered", {}};
        }
        default:
            return {std::nullopt,
                    std::string("ignored ") + message_type_name(*type) + " from a client",
                    {}};
    }
}

FullOutcome FullDhcpResponder::discover(const Message& request, const MacAddress& mac,
                                        const std::vector<Subnet>& subnets,
                                        const RequestContext& context) {
    const auto now = context.now;
    std::optional<Ipv4Address> chosen;
    std::string why;
    if (const auto reserved = reservation(mac)) {
        if (!subnet_containing(subnets, *reserved))
            return {std::nullopt,
                    "reservation " + reserved->to_string() + " is not on this subnet",
                    {}};
        // Another client's offer never keeps a host from its reserved address.
        if (!leases_->free_for(*reserved, mac, now) && !offered_to_other(*reserved, mac, now))
            return {std::nullopt,
                    "reserved " + reserved->to_string() + " is held by another client",
                    {}};
        chosen = reserved;
        why = "reservation";
    }
    if (!chosen) {
        if (const auto* lease = leases_->of(mac);
            lease && can_take(subnets, lease->address, mac, now)) {
            chosen = lease->address;
            why = "client's previous address";
        }
    }
    if (!chosen) {
        if (const auto wanted = request.options.address(option::requested_address);
            wanted && can_take(subnets, *wanted, mac, now)) {
            chosen = wanted;
            why = "requested address";
        }
    }
    if (!chosen) {
        for (const auto& s : subnets) {
            chosen = leases_->allocate(s.pool->first, s.pool->last, mac, now,
                                       [&](Ipv4Address a) { return !reserved_for_other(a, mac); });
            if (chosen) break;
        }
        why = "from the pool";
    }
    if (!chosen) {
        // No free address: take back the oldest offer nobody requested, unless it was made to
        // a listed host (a flood of made-up MACs must not push out the machines being served).
        for (const auto& s : subnets) {
            chosen = leases_->oldest_offer(
                s.pool->first, s.pool->last, mac, now, [&](const Lease& held) {
                    return !reserved_for_other(held.address, mac) && !config_->find_host(held.mac);
                });
            if (chosen) break;
        }
        why = "oldest unrequested offer, pool full";
    }
    if (!chosen) return {std::nullopt, "pool exhausted", {}};
    const auto* subnet = subnet_containing(subnets, *chosen);
    // Keep a bound lease bound; otherwise hold the address for this client for a while.
    const auto* current = leases_->at(*chosen);
    if (!current || current->mac != mac || current->state != LeaseState::bound ||
        current->expires <= now)
        leases_->put({*chosen, mac, LeaseState::offered, now + offer_hold_seconds});
    auto reply = answer(request, MessageType::offer, *subnet, *chosen, context, true);
    return {addressed(request, std::move(reply)),
            "offer " + chosen->to_string() + " (" + why + ")",
            {}};
}

FullOutcome FullDhcpResponder::bind(const Message& request, const MacAddress& mac,
                                    const Subnet& subnet, Ipv4Address address,
                                    const RequestContext& context, std::string note) {
    const Lease lease{address, mac, LeaseState::bound,
                      context.now + subnet.pool->lease_time.count()};
    leases_->put(lease);
    auto reply = answer(request, MessageType::ack, subnet, address, context, true);
    return {addressed(request, std::move(reply)),
            "ack " + address.to_string() + " (" + note + ")",
            {lease}};
}

FullOutcome FullDhcpResponder::request(const Message& request, const MacAddress& mac,
                                       const std::vector<Subnet>& subnets,
                                       const RequestContext& context) {
    const auto now = context.now;
    const auto server_id = request.options.address(option::server_identifier);
    const auto requested = request.options.address(option::requested_address);
    const bool authoritative = config_->dhcp.authoritative;

    if (server_id) {
        // SELECTING (RFC 2131 4.3.2): the client chose a server.
        if (*server_id != context.server()) {
            if (const auto* lease = leases_->of(mac); lease && lease->state == LeaseState::offered)
                leases_->erase(lease->address);
            return {std::nullopt, "client chose server " + server_id->to_string(), {}};
        }
        const auto address = requested ? *requested : request.ciaddr;
        if (address.is_zero()) return {std::nullopt, "REQUEST names no address", {}};
        const auto* subnet = subnet_containing(subnets, address);
        // The first REQUEST for an offered address wins it, even if it was since offered to
        // another client (an exhausted pool reuses offers; see discover()).
        if (!subnet || !can_take(subnets, address, mac, now, true))
            return nak(request, context, address.to_string() + " is not available");
        return bind(request, mac, *subnet, address, context, "selecting");
    }

    const bool init_reboot = request.ciaddr.is_zero();
    const auto address = init_reboot ? requested.value_or(Ipv4Address{}) : request.ciaddr;
    if (address.is_zero()) return {std::nullopt, "REQUEST names no address", {}};
    const auto* subnet = subnet_containing(subnets, address);
    if (!subnet) {
        // INIT-REBOOT on the wrong network must hear NAK; a RENEW from elsewhere is not ours.
        if (init_reboot)
            return nak(request, context, address.to_string() + " is on the wrong network");
        return {std::nullopt, "RENEW of an address outside our subnets", {}};
    }
    const auto* lease = leases_->at(address);
    const char* state = init_reboot ? "init-reboot" : "renewing";
    if (lease && lease->mac == mac && lease->state != LeaseState::declined &&
        reservation(mac).value_or(address) == address)
        return bind(request, mac, *subnet, address, context, state);
    // A client that holds the address (it renews) or reboots with it outranks a mere offer.
    if (!can_take(subnets, address, mac, now, true) ||
        reservation(mac).value_or(address) != address)
        return nak(request, context, address.to_string() + " is not available");
    // RFC 2131 4.3.2: with no record of the client, a server stays silent unless it is the
    // authority for the network (dhcp.authoritative), which may confirm a free address.
    if (!authoritative) return {std::nullopt, std::string(state) + " of an unknown lease", {}};
    return bind(request, mac, *subnet, address, context, std::string(state) + ", authoritative");
}

}  // namespace castline::dhcp
