#include <doctest/doctest.h>

#include "dhcp/captured_frame.hpp"
#include "frames.hpp"
#include "requests.hpp"

using namespace castline;
using namespace castline::dhcp;
using test::frame;
using test::FrameSpec;
using test::ip_at;
using test::udp_at;

namespace {
const std::vector<std::uint8_t> discover = encode(test::pxe_request(MessageType::discover, 7));

std::string error_of(const std::vector<std::uint8_t>& bytes) {
    const auto r = parse_captured_frame(bytes);
    REQUIRE_FALSE(r.dhcp);
    REQUIRE(r.error);
    return r.error->to_string();
}
}  // namespace

TEST_CASE("a client's broadcast DISCOVER: addressing and the decoded message") {
    const auto r = parse_captured_frame(frame(discover));
    REQUIRE(r.dhcp);
    CHECK_FALSE(r.error);
    const auto& d = *r.dhcp;
    CHECK(d.source_mac.to_string() == "52:54:00:00:00:01");
    CHECK(d.destination_mac.to_string() == "ff:ff:ff:ff:ff:ff");
    CHECK_FALSE(d.vlan);
    CHECK(d.source.to_string() == "0.0.0.0");
    CHECK(d.destination.to_string() == "255.255.255.255");
    CHECK(d.source_port == 68);
    CHECK(d.destination_port == 67);
    CHECK(d.message == test::pxe_request(MessageType::discover, 7));
}

TEST_CASE("a server's ACK to port 68, unicast") {
    auto ack = test::request(MessageType::ack);
    ack.op = op_reply;
    ack.yiaddr = *Ipv4Address::parse("198.18.0.120");
    ack.options.set_address(option::server_identifier, *Ipv4Address::parse("198.18.0.2"));
    const auto r = parse_captured_frame(frame(encode(ack), {.source_port = 67,
                                                            .destination_port = 68,
                                                            .source = 0xc6120002,
                                                            .destination = 0xc6120078}));
    REQUIRE(r.dhcp);
    CHECK(r.dhcp->source.to_string() == "198.18.0.2");
    CHECK(r.dhcp->message.yiaddr.to_string() == "198.18.0.120");
}

TEST_CASE("802.1Q and 802.1ad tags, IPv4 options and Ethernet padding are stepped over") {
    const auto one = parse_captured_frame(frame(discover, {.vlans = {42}}));
    REQUIRE(one.dhcp);
    CHECK(one.dhcp->vlan == 42);
    auto two = frame(discover, {.vlans = {100, 7}});
    two[12] = 0x88, two[13] = 0xa8;  // outer tag: 802.1ad
    const auto qinq = parse_captured_frame(two);
    REQUIRE(qinq.dhcp);
    CHECK(qinq.dhcp->vlan == 7);  // the inner one
    const auto options = parse_captured_frame(frame(discover, {.ip_options = 8}));
    REQUIRE(options.dhcp);
    CHECK(options.dhcp->message.type() == MessageType::discover);
    const auto padded = parse_captured_frame(frame(discover, {.padding = 18}));
    REQUIRE(padded.dhcp);
    // The bytes past the IP packet are not handed to the DHCP decoder.
    CHECK(padded.dhcp->message == test::pxe_request(MessageType::discover, 7));
}

TEST_CASE("hostile Ethernet: too short, wrong EtherType, too many or cut tags") {
    CHECK(error_of({0xff, 0xff, 0xff}) == "ethernet: truncated: needs 14 bytes, 3 left");
    auto arp = frame(discover);
    arp[12] = 0x08, arp[13] = 0x06;
    CHECK(error_of(arp) == "ethernet.type: 0x0806 is not IPv4 (0x0800)");
    auto ipv6 = frame(discover, {.vlans = {5}});
    ipv6[16] = 0x86, ipv6[17] = 0xdd;
    CHECK(error_of(ipv6) == "ethernet.type: 0x86dd is not IPv4 (0x0800)");
    CHECK(error_of(frame(discover, {.vlans = {1, 2, 3}})) == "ethernet.vlan: more than 2 tags");
    auto cut = frame(discover, {.vlans = {9}});
    cut.resize(16);
    CHECK(error_of(cut) == "ethernet.vlan: truncated: needs 18 bytes, 16 left");
}

TEST_CASE("hostile IPv4: version, IHL, total length, fragments, protocol, truncation") {
    auto f = frame(discover);
    auto header_only = f;
    header_only.resize(ip_at + 19);
    CHECK(error_of(header_only) == "ipv4: truncated: needs 20 bytes, 19 left");

    auto v6 = f;
    v6[ip_at] = 0x65;
    CHECK(error_of(v6) == "ipv4.version: 6 is not 4");
    auto small_ihl = f;
    small_ihl[ip_at] = 0x44;
    CHECK(error_of(small_ihl) == "ipv4.ihl: 4 is under 5 (20 bytes)");
    auto big_ihl = f;
    big_ihl[ip_at] = 0x4f;  // 60 bytes of header in a frame cut to 40 bytes of IP
    big_ihl.resize(ip_at + 40);
    CHECK(error_of(big_ihl) == "ipv4.ihl: header of 60 bytes runs past the 40 captured");

    auto short_total = f;
    test::put16(short_total, ip_at + 2, 12);
    CHECK(error_of(short_total) == "ipv4.total_length: 12 is under the header's 20");
    // A frame cut by the snap length: the IP header promises more than was captured.
    auto truncated = f;
    truncated.resize(truncated.size() - 100);
    CHECK(error_of(truncated).starts_with("ipv4.total_length: "));
    CHECK(error_of(truncated).ends_with("bytes captured (truncated)"));

    auto later = f;
    test::put16(later, ip_at + 6, 185);  // offset 1480
    CHECK(error_of(later) == "ipv4.fragment_offset: 1480: not the first fragment");
    auto first = f;
    test::put16(first, ip_at + 6, 0x2000);
    CHECK(error_of(first) == "ipv4.flags: more fragments follow: the DHCP message is incomplete");
    auto dont_fragment = f;
    test::put16(dont_fragment, ip_at + 6, 0x4000);  // DF alone is fine
    CHECK(parse_captured_frame(dont_fragment).dhcp);

    auto tcp = f;
    tcp[ip_at + 9] = 6;
    CHECK(error_of(tcp) == "ipv4.protocol: 6 is not UDP (17)");
}

TEST_CASE("hostile UDP: short header, length under 8 or past the packet, other ports") {
    const auto f = frame(discover);
    auto no_udp = f;
    no_udp.resize(udp_at + 4);
    test::put16(no_udp, ip_at + 2, 24);
    CHECK(error_of(no_udp) == "udp: truncated: needs 8 bytes, 4 left");

    auto tiny = f;
    test::put16(tiny, udp_at + 4, 7);
    CHECK(error_of(tiny) == "udp.length: 7 is under the 8-byte header");
    auto past = f;
    const std::size_t inside = f.size() - udp_at;
    test::put16(past, udp_at + 4, inside + 1);
    CHECK(error_of(past) == "udp.length: " + std::to_string(inside + 1) +
                                " runs past the IP packet's " + std::to_string(inside) + " bytes");
    // The UDP length past the IP packet but inside the captured frame (its padding): refused
    // too, the padding is not part of the datagram.
    auto into_padding = frame(discover, {.padding = 40});
    test::put16(into_padding, udp_at + 4, inside + 20);
    CHECK(error_of(into_padding).starts_with("udp.length: "));

    CHECK(error_of(frame(discover, {.source_port = 53, .destination_port = 53})) ==
          "udp.port: 53 -> 53 is not DHCP (67 or 68)");
    CHECK(
        parse_captured_frame(frame(discover, {.source_port = 4011, .destination_port = 67})).dhcp);
}

TEST_CASE("a UDP length shorter than the packet bounds the DHCP payload") {
    auto f = frame(discover);
    test::put16(f, udp_at + 4, 8 + 100);  // the message cut to 100 bytes by its UDP length
    CHECK(error_of(f).starts_with("dhcp.header: truncated: 100 bytes"));
}

TEST_CASE("the DHCP decoder's refusal comes through with its field") {
    auto payload = discover;
    payload[236] = 0;  // the magic cookie
    CHECK(error_of(frame(payload)).starts_with("dhcp."));
    CHECK(error_of(frame(std::vector<std::uint8_t>(10, 0))).starts_with("dhcp.header: "));
}

TEST_CASE("every prefix of a good frame is refused, never read past") {
    const auto f = frame(discover, {.vlans = {3}, .ip_options = 4});
    for (std::size_t n = 0; n < f.size(); ++n) {
        const std::vector<std::uint8_t> cut(f.begin(), f.begin() + static_cast<long>(n));
        const auto r = parse_captured_frame(cut);
        CHECK_FALSE(r.dhcp);
        REQUIRE(r.error);
        CHECK_FALSE(r.error->field.empty());
    }
}
