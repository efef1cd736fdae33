#pragma once
// Typed views of the options that describe a (PXE) client: vendor class 60, user class 77
// (RFC 3004 or iPXE's plain string), client architecture 93, network interface id 94 and
// machine id 97 (RFC 4578), iPXE's encapsulated 175, PXE's vendor options 43 and the relay
// agent information 82 (RFC 3046). Each parser is bounds-checked and names what it rejects.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dhcp/message.hpp"

namespace castline::dhcp {

// RFC 4578 / IANA processor architecture types that matter here.
namespace arch {
inline constexpr std::uint16_t bios = 0;
inline constexpr std::uint16_t efi_ia32 = 6;
inline constexpr std::uint16_t efi_bc = 7;  // listed as EFI BC; x64 firmware sends it
inline constexpr std::uint16_t efi_x64 = 9;
inline constexpr std::uint16_t efi_arm64 = 11;
inline constexpr std::uint16_t efi_x64_http = 16;
inline constexpr std::uint16_t efi_arm64_http = 19;
}  // namespace arch

// PXE 2.1 vendor sub-options (inside option 43).
namespace pxe_suboption {
inline constexpr std::uint8_t discovery_control = 6;
inline constexpr std::uint8_t boot_servers = 8;
inline constexpr std::uint8_t boot_menu = 9;
inline constexpr std::uint8_t menu_prompt = 10;
inline constexpr std::uint8_t boot_item = 71;
}  // namespace pxe_suboption

template <typename T>
struct Parsed {
    std::optional<T> value;  // absent option: neither value nor error
    std::optional<DecodeError> error;
};

struct NetworkInterfaceId {
    std::uint8_t type = 0;  // 1: UNDI
    std::uint8_t major = 0;
    std::uint8_t minor = 0;
};

using Uuid = std::array<std::uint8_t, 16>;
std::string uuid_to_string(const Uuid& uuid);

Parsed<std::vector<std::uint16_t>> client_architectures(const OptionList& options);
Parsed<NetworkInterfaceId> client_network_interface(const OptionList& options);
Parsed<Uuid> client_machine_id(const OptionList& options);
// RFC 3004 instances when the bytes parse as such, else the whole value as one string (iPXE).
std::vector<std::string> user_classes(const OptionList& options);
// The sub-options of an encapsulating option (43 or 175).
Parsed<OptionList> encapsulated(const OptionList& options, std::uint8_t code);
Parsed<OptionList> relay_agent_information(const OptionList& options);

// Option 43 for a PXE reply. discovery_control 8 = "boot the file in the reply, skip discovery".
std::vector<std::uint8_t> pxe_vendor_options(std::uint8_t discovery_control);

// What a request says about its sender, for the PXE decisions.
struct ClientDescription {
    std::optional<MacAddress> mac;
    std::string vendor_class;                   // option 60, may be empty
    bool pxe = false;                           // 60 starts with PXEClient
    bool http = false;                          // 60 starts with HTTPClient
    std::optional<std::uint16_t> architecture;  // first entry of 93
    std::optional<Uuid> uuid;                   // 97
    bool ipxe = false;                          // 77 has "iPXE" or 175 present
    std::optional<DecodeError> malformed;       // a bad 93, 94, 97 or 175: not treated as PXE
    bool is_boot_client() const { return (pxe || http) && !malformed; }
};
ClientDescription describe_client(const Message& request);

}  // namespace castline::dhcp
