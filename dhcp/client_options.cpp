#include "dhcp/client_options.hpp"

#include <cstdio>

namespace castline::dhcp {

namespace {
template <typename T>
Parsed<T> bad(std::uint8_t code, std::string problem) {
    return {std::nullopt, DecodeError{option_field_name(code), std::move(problem)}};
}
std::string len_text(std::size_t n) {
    return "length " + std::to_string(n);
}
bool starts_with(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}
}  // namespace

std::string uuid_to_string(const Uuid& u) {
    char text[37];
    std::snprintf(text, sizeof text,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
                  u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                  u[14], u[15]);
    return text;
}

Parsed<std::vector<std::uint16_t>> client_architectures(const OptionList& options) {
    const auto* v = options.find(option::client_architecture);
    if (!v) return {};
    if (v->empty() || v->size() % 2 != 0)
        return bad<std::vector<std::uint16_t>>(
            option::client_architecture, len_text(v->size()) + " is not a positive multiple of 2");
    std::vector<std::uint16_t> types;
    for (std::size_t i = 0; i < v->size(); i += 2)
        types.push_back(static_cast<std::uint16_t>((*v)[i] << 8 | (*v)[i + 1]));
    return {types, std::nullopt};
}

Parsed<NetworkInterfaceId> client_network_interface(const OptionList& options) {
    const auto* v = options.find(option::client_network_interface);
    if (!v) return {};
    if (v->size() != 3)
        return bad<NetworkInterfaceId>(option::client_network_interface,
                                       len_text(v->size()) + ", expected 3");
    return {NetworkInterfaceId{(*v)[0], (*v)[1], (*v)[2]}, std::nullopt};
}

Parsed<Uuid> client_machine_id(const OptionList& options) {
    const auto* v = options.find(option::client_machine_id);
    if (!v) return {};
    if (v->size() != 17)
        return bad<Uuid>(option::client_machine_id, len_text(v->size()) + ", expected 17");
    if ((*v)[0] != 0)
        return bad<Uuid>(option::client_machine_id,
                         "type " + std::to_string((*v)[0]) + ", expected 0 (UUID)");
    Uuid uuid;
    std::copy(v->begin() + 1, v->end(), uuid.begin());
    return {uuid, std::nullopt};
}

std::vector<std::string> user_classes(const OptionList& options) {
    const auto* v = options.find(option::user_class);
    if (!v || v->empty()) return {};
    std::vector<std::string> classes;
    std::size_t at = 0;
    while (at < v->size()) {
        const std::size_t n = (*v)[at];
        if (n == 0 || at + 1 + n > v->size()) {
            // Not RFC 3004 instances: iPXE and others send one plain string.
            return {std::string(v->begin(), v->end())};
        }
        classes.emplace_back(v->begin() + static_cast<long>(at + 1),
                             v->begin() + static_cast<long>(at + 1 + n));
        at += 1 + n;
    }
    return classes;
}

Parsed<OptionList> encapsulated(const OptionList& options, std::uint8_t code) {
    const auto* v = options.find(code);
    if (!v) return {};
    OptionList sub;
    if (auto error =
            read_options(*v, "options[" + std::to_string(code) + "]", Framing::encapsulated, sub))
        return {std::nullopt, std::move(error)};
    return {std::move(sub), std::nullopt};
}

Parsed<OptionList> relay_agent_information(const OptionList& options) {
    const auto* v = options.find(option::relay_agent_information);
    if (!v) return {};
    OptionList sub;
    if (auto error = read_options(*v, "options[82]", Framing::relay, sub))
        return {std::nullopt, std::move(error)};
    return {std::move(sub), std::nullopt};
}

std::vector<std::uint8_t> pxe_vendor_options(std::uint8_t discovery_control) {
    return {pxe_suboption::discovery_control, 1, discovery_control, option::end};
}

ClientDescription describe_client(const Message& request) {
    ClientDescription d;
    d.mac = request.mac();
    d.vendor_class = request.options.string(option::vendor_class).value_or("");
    d.pxe = starts_with(d.vendor_class, "PXEClient");
    d.http = starts_with(d.vendor_class, "HTTPClient");
    const auto archs = client_architectures(request.options);
    if (archs.error) d.malformed = archs.error;
    if (archs.value) d.architecture = archs.value->front();
    const auto nic = client_network_interface(request.options);
    if (nic.error && !d.malformed) d.malformed = nic.error;
    const auto uuid = client_machine_id(request.options);
    if (uuid.error && !d.malformed) d.malformed = uuid.error;
    d.uuid = uuid.value;
    const auto ipxe = encapsulated(request.options, option::ipxe_encapsulated);
    if (ipxe.error && !d.malformed) d.malformed = ipxe.error;
    d.ipxe = ipxe.value.has_value();
    for (const auto& c : user_classes(request.options))
        if (c == "iPXE") d.ipxe = true;
    return d;
}

}  // namespace castline::dhcp
