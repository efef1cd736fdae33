#include "dhcp/captured_frame.hpp"

#include <algorithm>

namespace castline::dhcp {

namespace {
constexpr std::size_t ethernet_header = 14;
constexpr std::size_t vlan_tag = 4;
constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_vlan = 0x8100;  // 802.1Q
constexpr std::uint16_t ethertype_qinq = 0x88a8;  // 802.1ad service tag
constexpr std::size_t max_vlan_tags = 2;
constexpr std::size_t ipv4_minimum_header = 20;
constexpr std::uint8_t protocol_udp = 17;
constexpr std::size_t udp_header = 8;
constexpr std::uint16_t port_server = 67;
constexpr std::uint16_t port_client = 68;

std::uint16_t read_u16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}
std::uint32_t read_u32(std::span<const std::uint8_t> b, std::size_t at) {
    return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
           std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}
MacAddress read_mac(std::span<const std::uint8_t> b, std::size_t at) {
    MacAddress mac;
    std::copy_n(b.begin() + static_cast<long>(at), 6, mac.bytes.begin());
    return mac;
}
FrameResult fail(std::string field, std::string problem) {
    return {std::nullopt, DecodeError{std::move(field), std::move(problem)}};
}
std::string hex16(std::uint16_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "0x";
    for (int shift = 12; shift >= 0; shift -= 4) out += digits[(v >> shift) & 0xf];
    return out;
}
std::string bytes_left(std::size_t wanted, std::size_t left) {
    return "truncated: needs " + std::to_string(wanted) + " bytes, " + std::to_string(left) +
           " left";
}
}  // namespace

FrameResult parse_captured_frame(std::span<const std::uint8_t> frame) {
    if (frame.size() < ethernet_header)
        return fail("ethernet", bytes_left(ethernet_header, frame.size()));
    CapturedDhcp out;
    out.destination_mac = read_mac(frame, 0);
    out.source_mac = read_mac(frame, 6);
    std::size_t at = 12;  // the EtherType, or the TPID of a tag
    std::uint16_t type = read_u16(frame, at);
    for (std::size_t tags = 0; type == ethertype_vlan || type == ethertype_qinq; ++tags) {
        if (tags == max_vlan_tags)
            return fail("ethernet.vlan", "more than " + std::to_string(max_vlan_tags) + " tags");
        if (frame.size() < at + 2 + vlan_tag)
            return fail("ethernet.vlan", bytes_left(at + 2 + vlan_tag, frame.size()));
        out.vlan = static_cast<std::uint16_t>(read_u16(frame, at + 2) & 0x0fff);
        at += vlan_tag;
        type = read_u16(frame, at);
    }
    if (type != ethertype_ipv4) return fail("ethernet.type", hex16(type) + " is not IPv4 (0x0800)");
    const auto ip = frame.subspan(at + 2);

    if (ip.size() < ipv4_minimum_header)
        return fail("ipv4", bytes_left(ipv4_minimum_header, ip.size()));
    if ((ip[0] >> 4) != 4) return fail("ipv4.version", std::to_string(ip[0] >> 4) + " is not 4");
    const std::size_t header = std::size_t{ip[0] & 0x0fu} * 4;
    if (header < ipv4_minimum_header)
        return fail("ipv4.ihl", std::to_string(header / 4) + " is under 5 (20 bytes)");
    if (header > ip.size())
        return fail("ipv4.ihl", "header of " + std::to_string(header) + " bytes runs past the " +
                                    std::to_string(ip.size()) + " captured");
    const std::size_t total = read_u16(ip, 2);
    if (total < header)
        return fail("ipv4.total_length",
                    std::to_string(total) + " is under the header's " + std::to_string(header));
    // The frame may hold more than `total` (Ethernet pads short frames), never less.
    if (total > ip.size())
        return fail("ipv4.total_length", std::to_string(total) + " runs past the " +
                                             std::to_string(ip.size()) +
                                             " bytes captured (truncated)");
    const std::uint16_t fragment = read_u16(ip, 6);
    if ((fragment & 0x1fff) != 0)
        return fail("ipv4.fragment_offset",
                    std::to_string((fragment & 0x1fff) * 8) + ": not the first fragment");
    if (fragment & 0x2000)
        return fail("ipv4.flags", "more fragments follow: the DHCP message is incomplete");
    if (ip[9] != protocol_udp)
        return fail("ipv4.protocol", std::to_string(ip[9]) + " is not UDP (17)");
    out.source = Ipv4Address{read_u32(ip, 12)};
    out.destination = Ipv4Address{read_u32(ip, 16)};
    const auto udp = ip.subspan(header, total - header);

    if (udp.size() < udp_header) return fail("udp", bytes_left(udp_header, udp.size()));
    out.source_port = read_u16(udp, 0);
    out.destination_port = read_u16(udp, 2);
    const std::size_t length = read_u16(udp, 4);
    if (length < udp_header)
        return fail("udp.length", std::to_string(length) + " is under the 8-byte header");
    if (length > udp.size())
        return fail("udp.length", std::to_string(length) + " runs past the IP packet's " +
                                      std::to_string(udp.size()) + " bytes");
    const auto is_dhcp_port = [](std::uint16_t p) { return p == port_server || p == port_client; };
    if (!is_dhcp_port(out.source_port) && !is_dhcp_port(out.destination_port))
        return fail("udp.port", std::to_string(out.source_port) + " -> " +
                                    std::to_string(out.destination_port) +
                                    " is not DHCP (67 or 68)");

    auto decoded = decode(udp.subspan(udp_header, length - udp_header));
    if (!decoded.message)
        return fail("dhcp." + decoded.error->field, std::move(decoded.error->problem));
    out.message = std::move(*decoded.message);
    return {std::move(out), std::nullopt};
}

}  // namespace castline::dhcp
