#pragma once
// The PXE part of a reply, shared by proxy and full mode: siaddr, sname, file, options 60, 43,
// 97 and (when asked for in 55) 66/67, as the firmware notes in docs/pxe.md require.
#include "dhcp/client_options.hpp"
#include "dhcp/message.hpp"
#include "pxe/boot_policy.hpp"

namespace castline::dhcp {

enum class BootStep {
    full,        // one reply carries everything (full mode, BIOS and iPXE proxy offers)
    offer_only,  // proxy OFFER to UEFI firmware: siaddr, no 43, no file; it asks on 4011
};

void add_boot_answer(const Message& request, const ClientDescription& client,
                     const pxe::BootFile& boot, Ipv4Address server, BootStep step, Message& reply);

}  // namespace castline::dhcp
