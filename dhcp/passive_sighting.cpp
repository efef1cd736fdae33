#include "dhcp/passive_sighting.hpp"

#include "dhcp/client_options.hpp"

namespace castline::dhcp {

std::optional<pxe::ClientRecord> client_record(const Message& request, const std::string& interface,
                                               std::int64_t now) {
    const auto client = describe_client(request);
    if (!client.is_boot_client() || !client.mac) return std::nullopt;
    pxe::ClientRecord record;
    record.mac = *client.mac;
    record.architecture = client.architecture;
    record.vendor_class = client.vendor_class;
    record.uuid = client.uuid ? uuid_to_string(*client.uuid) : "";
    record.interface = interface;
    record.last_seen = now;
    return record;
}

std::optional<AddressGrant> requested_grant(const Message& request) {
    if (request.op != op_request || request.type() != MessageType::request) return std::nullopt;
    const auto mac = request.mac();
    const auto requested = request.options.address(option::requested_address);
    const auto server = request.options.address(option::server_identifier);
    if (!mac || !requested || !server || requested->is_zero()) return std::nullopt;
    return AddressGrant{*mac, *requested, *server};
}

Sighting judge_sighting(const Message& message, const std::string& interface, std::int64_t now) {
    Sighting out;
    const auto type = message.type();
    if (!type) {
        out.ignored = "no message type (BOOTP)";
        return out;
    }
    if (message.op == op_request) {
        out.client = client_record(message, interface, now);
        if (!out.client) out.ignored = "not a PXE or HTTP boot client";
        out.grant = requested_grant(message);
        return out;
    }
    if (*type != MessageType::ack) {
        out.ignored = std::string(message_type_name(*type)) + " from a server";
        return out;
    }
    const auto mac = message.mac();
    if (!mac) {
        out.ignored = "ACK without an Ethernet chaddr";
        return out;
    }
    if (message.yiaddr.is_zero()) {
        out.ignored = "ACK without yiaddr (INFORM or proxyDHCP answer)";
        return out;
    }
    out.grant =
        AddressGrant{*mac, message.yiaddr, message.options.address(option::server_identifier)};
    return out;
}

}  // namespace castline::dhcp
