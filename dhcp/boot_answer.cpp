#include "dhcp/boot_answer.hpp"

#include <algorithm>

namespace castline::dhcp {

namespace {
bool asked_for(const Message& request, std::uint8_t code) {
    const auto* list = request.options.find(option::parameter_request_list);
    return list && std::find(list->begin(), list->end(), code) != list->end();
}
}  // namespace

void add_boot_answer(const Message& request, const ClientDescription& client,
                     const pxe::BootFile& boot, Ipv4Address server, BootStep step, Message& reply) {
    // iPXE and EDK2 both ignore a boot answer without siaddr; never send a file without it.
    reply.siaddr = server;
    reply.options.set_string(option::vendor_class, client.http ? "HTTPClient" : "PXEClient");
    if (const auto* uuid = request.options.find(option::client_machine_id))
        reply.options.set(option::client_machine_id, *uuid);
    if (step == BootStep::offer_only) return;
    reply.sname = server.to_string();
    reply.file = boot.file;
    // 43 {6: 8}: "boot the file in this reply, no boot server discovery". BIOS PXE ROMs need it
    // from a proxy; many UEFI firmwares drop offers that carry it, so only BIOS gets it.
    if (boot.bios) reply.options.set(option::vendor_specific, pxe_vendor_options(8));
    if (asked_for(request, option::tftp_server_name))
        reply.options.set_string(option::tftp_server_name, reply.sname);
    if (asked_for(request, option::bootfile_name))
        reply.options.set_string(option::bootfile_name, boot.file);
}

}  // namespace castline::dhcp
