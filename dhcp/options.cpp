#include "dhcp/options.hpp"

#include <algorithm>

namespace castline::dhcp {

const std::vector<std::uint8_t>* OptionList::find(std::uint8_t code) const {
    for (const auto& o : options_)
        if (o.code == code) return &o.value;
    return nullptr;
}

void OptionList::append(std::uint8_t code, std::span<const std::uint8_t> bytes) {
    for (auto& o : options_) {
        if (o.code == code) {
            o.value.insert(o.value.end(), bytes.begin(), bytes.end());
            return;
        }
    }
    options_.push_back({code, {bytes.begin(), bytes.end()}});
}

void OptionList::set(std::uint8_t code, std::vector<std::uint8_t> value) {
    for (auto& o : options_) {
        if (o.code == code) {
            o.value = std::move(value);
            return;
        }
    }
    options_.push_back({code, std::move(value)});
}

void OptionList::set_string(std::uint8_t code, std::string_view text) {
    set(code, {text.begin(), text.end()});
}

void OptionList::set_u32(std::uint8_t code, std::uint32_t v) {
    set(code, {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
               static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
}

void OptionList::set_addresses(std::uint8_t code, const std::vector<Ipv4Address>& list) {
    std::vector<std::uint8_t> bytes;
    for (const auto& a : list) {
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.push_back(static_cast<std::uint8_t>(a.value >> shift));
    }
    set(code, std::move(bytes));
}

void OptionList::erase(std::uint8_t code) {
    std::erase_if(options_, [code](const Option& o) { return o.code == code; });
}

std::optional<std::uint8_t> OptionList::u8(std::uint8_t code) const {
    const auto* v = find(code);
    if (!v || v->size() != 1) return std::nullopt;
    return (*v)[0];
}

std::optional<std::uint32_t> OptionList::u32(std::uint8_t code) const {
    const auto* v = find(code);
    if (!v || v->size() != 4) return std::nullopt;
    return std::uint32_t{(*v)[0]} << 24 | std::uint32_t{(*v)[1]} << 16 |
           std::uint32_t{(*v)[2]} << 8 | (*v)[3];
}

std::optional<Ipv4Address> OptionList::address(std::uint8_t code) const {
    if (auto v = u32(code)) return Ipv4Address{*v};
    return std::nullopt;
}

std::optional<std::string> OptionList::string(std::uint8_t code) const {
    const auto* v = find(code);
    if (!v) return std::nullopt;
    return std::string(v->begin(), v->end());
}

std::string option_field_name(std::uint8_t code) {
    std::string name = "options[" + std::to_string(code) + "]";
    const char* what = nullptr;
    switch (code) {
        case option::vendor_specific:
            what = "vendor specific";
            break;
        case option::requested_address:
            what = "requested address";
            break;
        case option::overload:
            what = "overload";
            break;
        case option::message_type:
            what = "message type";
            break;
        case option::server_identifier:
            what = "server identifier";
            break;
        case option::parameter_request_list:
            what = "parameter request list";
            break;
        case option::vendor_class:
            what = "vendor class";
            break;
        case option::client_identifier:
            what = "client identifier";
            break;
        case option::user_class:
            what = "user class";
            break;
        case option::relay_agent_information:
            what = "relay agent information";
            break;
        case option::client_architecture:
            what = "client architecture";
            break;
        case option::client_network_interface:
            what = "client network interface";
            break;
        case option::client_machine_id:
            what = "client machine id";
            break;
        case option::ipxe_encapsulated:
            what = "iPXE encapsulated";
            break;
        default:
            break;
    }
    if (what) name += std::string(" (") + what + ")";
    return name;
}

std::optional<DecodeError> read_options(std::span<const std::uint8_t> area, std::string_view where,
                                        Framing framing, OptionList& into) {
    const bool framed = framing != Framing::relay;
    std::size_t at = 0;
    while (at < area.size()) {
        const std::uint8_t code = area[at];
        if (framed && code == option::pad) {
            ++at;
            continue;
        }
        if (framed && code == option::end) return std::nullopt;
        if (at + 1 >= area.size())
            return DecodeError{std::string(where) + "[" + std::to_string(code) + "]",
                               "length byte missing at offset " + std::to_string(at)};
        const std::size_t length = area[at + 1];
        if (at + 2 + length > area.size())
            return DecodeError{std::string(where) + "[" + std::to_string(code) + "]",
                               "length " + std::to_string(length) + " at offset " +
                                   std::to_string(at) + " runs past the end (" +
                                   std::to_string(area.size() - at - 2) + " bytes left)"};
        into.append(code, area.subspan(at + 2, length));
        at += 2 + length;
    }
    if (framing == Framing::main) return DecodeError{std::string(where), "END (255) missing"};
    return std::nullopt;
}

void write_options(const OptionList& options, std::vector<std::uint8_t>& out) {
    for (const auto& o : options.all()) {
        if (o.code == option::pad || o.code == option::end) continue;  // not options, framing
        std::size_t at = 0;
        // A zero-length option is still written once.
        do {
            const std::size_t n = std::min<std::size_t>(255, o.value.size() - at);
            out.push_back(o.code);
            out.push_back(static_cast<std::uint8_t>(n));
            out.insert(out.end(), o.value.begin() + static_cast<long>(at),
                       o.value.begin() + static_cast<long>(at + n));
            at += n;
        } while (at < o.value.size());
    }
}

}  // namespace castline::dhcp
