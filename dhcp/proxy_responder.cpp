#include "dhcp/proxy_responder.hpp"

#include "dhcp/boot_answer.hpp"
#include "dhcp/client_options.hpp"

namespace castline::dhcp {

ProxyOutcome ProxyDhcpResponder::respond(const Message& request,
                                         const RequestContext& context) const {
    if (request.op != op_request) return {std::nullopt, "not a BOOTREQUEST"};
    const auto type = request.type();
    if (!type) return {std::nullopt, "no DHCP message type"};
    const auto client = describe_client(request);
    if (client.malformed)
        return {std::nullopt, "not treated as PXE: " + client.malformed->to_string()};
    if (!client.is_boot_client()) return {std::nullopt, "not a PXE client"};
    if (!client.mac) return {std::nullopt, "chaddr is not an Ethernet address"};

    const bool on_4011 = context.local_port == pxe_port;
    const auto server_id = request.options.address(option::server_identifier);
    if (server_id && *server_id != context.server())
        return {std::nullopt, "for server " + server_id->to_string()};
    MessageType answer;
    if (on_4011) {
        // The boot server request (PXE 2.1 2.2.6): REQUEST, or INFORM from some ROMs.
        if (*type != MessageType::request && *type != MessageType::inform)
            return {std::nullopt, std::string("ignored ") + message_type_name(*type) + " on 4011"};
        answer = MessageType::ack;
    } else if (*type == MessageType::discover) {
        answer = MessageType::offer;
    } else if (*type == MessageType::request) {
        // A REQUEST on 67 is for the server that gave the address, unless it names us.
        if (!server_id) return {std::nullopt, "REQUEST for another server"};
        answer = MessageType::ack;
    } else {
        return {std::nullopt, std::string("ignored ") + message_type_name(*type)};
    }

    const auto decision = pxe::choose_boot_file(
        {*client.mac, client.architecture, client.ipxe, client.http}, *config_, context.server());
    if (!decision.boot) return {std::nullopt, decision.reason};

    // UEFI firmware (not iPXE, not HTTP boot) gets a bare OFFER on 67 and the file on 4011.
    const bool uefi_pxe = !decision.boot->bios && !client.ipxe && !client.http;
    const auto step =
        uefi_pxe && answer == MessageType::offer ? BootStep::offer_only : BootStep::full;

    auto reply = reply_skeleton(request, answer);
    reply.ciaddr = request.ciaddr;
    reply.options.set_address(option::server_identifier, context.server());
    add_boot_answer(request, client, *decision.boot, context.server(), step, reply);
    echo_relay_information(request, reply);

    const std::string note =
        decision.reason +
        (step == BootStep::offer_only ? ", file follows on 4011" : ": " + decision.boot->file);
    // On 4011 the answer goes back to the request's own source port (OVMF sends from 4011).
    if (on_4011 && !context.source_address.is_zero())
        return {Reply{std::move(reply), context.source_address, context.source_port}, note};
    return {addressed(request, std::move(reply)), note};
}

}  // namespace castline::dhcp
