#pragma once
// DHCP option codes (RFC 2132, 3004, 3046, 3396, 4578, PXE 2.1, iPXE) and the option list of a
// message. Options are kept by code with their values already concatenated (RFC 3396), in the
// order each code first appeared, so that decoding then encoding keeps the client's order.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ipv4_address.hpp"

namespace castline::dhcp {

namespace option {
inline constexpr std::uint8_t pad = 0;
inline constexpr std::uint8_t subnet_mask = 1;
inline constexpr std::uint8_t router = 3;
inline constexpr std::uint8_t dns_servers = 6;
inline constexpr std::uint8_t host_name = 12;
inline constexpr std::uint8_t domain_name = 15;
inline constexpr std::uint8_t broadcast_address = 28;
inline constexpr std::uint8_t vendor_specific = 43;
inline constexpr std::uint8_t requested_address = 50;
inline constexpr std::uint8_t lease_time = 51;
inline constexpr std::uint8_t overload = 52;
inline constexpr std::uint8_t message_type = 53;
inline constexpr std::uint8_t server_identifier = 54;
inline constexpr std::uint8_t parameter_request_list = 55;
inline constexpr std::uint8_t message = 56;
inline constexpr std::uint8_t max_message_size = 57;
inline constexpr std::uint8_t renewal_time = 58;
inline constexpr std::uint8_t rebinding_time = 59;
inline constexpr std::uint8_t vendor_class = 60;
inline constexpr std::uint8_t client_identifier = 61;
inline constexpr std::uint8_t tftp_server_name = 66;
inline constexpr std::uint8_t bootfile_name = 67;
inline constexpr std::uint8_t user_class = 77;
inline constexpr std::uint8_t relay_agent_information = 82;
inline constexpr std::uint8_t client_architecture = 93;
inline constexpr std::uint8_t client_network_interface = 94;
inline constexpr std::uint8_t client_machine_id = 97;
inline constexpr std::uint8_t ipxe_encapsulated = 175;
inline constexpr std::uint8_t end = 255;
}  // namespace option

struct Option {
    std::uint8_t code = 0;
    std::vector<std::uint8_t> value;
    bool operator==(const Option&) const = default;
};

class OptionList {
  public:
    const std::vector<std::uint8_t>* find(std::uint8_t code) const;
    bool has(std::uint8_t code) const { return find(code) != nullptr; }
    // Appends to the value of `code` (RFC 3396 concatenation) or adds it at the end.
    void append(std::uint8_t code, std::span<const std::uint8_t> bytes);
    // Replaces the value of `code`, keeping its position, or adds it at the end.
    void set(std::uint8_t code, std::vector<std::uint8_t> value);
    void set_string(std::uint8_t code, std::string_view text);
    void set_u8(std::uint8_t code, std::uint8_t v) { set(code, {v}); }
    void set_u32(std::uint8_t code, std::uint32_t v);
    void set_address(std::uint8_t code, Ipv4Address a) { set_addresses(code, {a}); }
    void set_addresses(std::uint8_t code, const std::vector<Ipv4Address>& list);
    void erase(std::uint8_t code);

    // Typed reads; nullopt when absent or of the wrong length.
    std::optional<std::uint8_t> u8(std::uint8_t code) const;
    std::optional<std::uint32_t> u32(std::uint8_t code) const;
    std::optional<Ipv4Address> address(std::uint8_t code) const;
    std::optional<std::string> string(std::uint8_t code) const;

    const std::vector<Option>& all() const { return options_; }
    bool empty() const { return options_.empty(); }
    bool operator==(const OptionList&) const = default;

  private:
    std::vector<Option> options_;
};

// A decoding problem: which packet field and what is wrong with it.
struct DecodeError {
    std::string field;    // e.g. "options[93] (client architecture)"
    std::string problem;  // e.g. "length 3 is not a multiple of 2"
    std::string to_string() const { return field + ": " + problem; }
};

// How a run of options is framed.
enum class Framing {
    main,          // the options field, or sname/file when overloaded: PAD, END required
    encapsulated,  // sub-options of 43 and 175: PAD and END known, END optional
    relay,         // sub-options of 82 (RFC 3046): plain code/length/value, no PAD or END
};

// Reads a run of code/length/value options into `into`, concatenating repeated codes
// (RFC 3396). `where` names the area in errors, e.g. "options" or "options[43]".
std::optional<DecodeError> read_options(std::span<const std::uint8_t> area, std::string_view where,
                                        Framing framing, OptionList& into);

// Writes options as code/length/value, splitting values longer than 255 bytes into several
// instances of the same code (RFC 3396). Does not write END.
void write_options(const OptionList& options, std::vector<std::uint8_t>& out);

// "options[93] (client architecture)": how errors name an option.
std::string option_field_name(std::uint8_t code);

}  // namespace castline::dhcp
