#include <doctest/doctest.h>

#include "dhcp/client_options.hpp"
#include "dhcp/proxy_responder.hpp"
#include "requests.hpp"

using namespace castline;
using namespace castline::dhcp;
using namespace castline::dhcp::test;

namespace {
const auto proxy_site = site(config::DhcpMode::proxy);
ProxyOutcome respond(const Message& m, const RequestContext& c = context_on()) {
    return ProxyDhcpResponder(proxy_site).respond(m, c);
}
std::optional<std::uint8_t> discovery_control(const Message& reply) {
    const auto sub = encapsulated(reply.options, option::vendor_specific);
    if (!sub.value) return std::nullopt;
    return sub.value->u8(pxe_suboption::discovery_control);
}
}  // namespace

TEST_CASE("BIOS DISCOVER: OFFER with 43{6:8}, siaddr, sname, file, no address, broadcast") {
    const auto out = respond(pxe_request(MessageType::discover, 0));
    REQUIRE(out.reply);
    const auto& r = out.reply->message;
    CHECK(r.op == op_reply);
    CHECK(r.type() == MessageType::offer);
    CHECK(r.xid == 0x11223344);
    CHECK(r.yiaddr.is_zero());
    CHECK(r.siaddr == server);
    CHECK(r.sname == "198.18.0.1");
    CHECK(r.file == "undionly.kpxe");
    CHECK(discovery_control(r) == 8);
    CHECK(r.options.string(option::vendor_class) == "PXEClient");
    CHECK(r.options.address(option::server_identifier) == server);
    CHECK(r.options.find(option::client_machine_id)->size() == 17);
    CHECK(r.options.string(option::bootfile_name) == "undionly.kpxe");  // asked in 55
    CHECK(r.options.string(option::tftp_server_name) == "198.18.0.1");
    CHECK_FALSE(r.options.has(option::lease_time));
    CHECK(out.reply->destination == limited_broadcast);
    CHECK(out.reply->port == client_port);
}

TEST_CASE("66/67 only when the client asks for them") {
    auto m = pxe_request(MessageType::discover, 0);
    m.options.set(option::parameter_request_list, {1, 3});
    const auto out = respond(m);
    REQUIRE(out.reply);
    CHECK_FALSE(out.reply->message.options.has(option::bootfile_name));
    CHECK_FALSE(out.reply->message.options.has(option::tftp_server_name));
    CHECK(out.reply->message.file == "undionly.kpxe");
}

TEST_CASE("UEFI DISCOVER on 67: siaddr, no 43, no file; the ACK on 4011 carries the file") {
    for (std::uint16_t arch : {std::uint16_t{7}, std::uint16_t{9}}) {
        const auto offer = respond(pxe_request(MessageType::discover, arch));
        REQUIRE(offer.reply);
        const auto& o = offer.reply->message;
        CHECK(o.type() == MessageType::offer);
        CHECK(o.siaddr == server);
        CHECK(o.file.empty());
        CHECK_FALSE(o.options.has(option::vendor_specific));
        CHECK_FALSE(o.options.has(option::bootfile_name));
        CHECK(o.options.string(option::vendor_class) == "PXEClient");

        auto req = pxe_request(MessageType::request, arch);
        req.ciaddr = *Ipv4Address::parse("198.18.0.150");
        auto ctx = context_on("lab0", pxe_port);
        ctx.source_address = req.ciaddr;
        ctx.source_port = 4011;  // OVMF sends from 4011
        const auto ack = respond(req, ctx);
        REQUIRE(ack.reply);
        const auto& a = ack.reply->message;
        CHECK(a.type() == MessageType::ack);
        CHECK(a.file == "snponly.efi");
        CHECK(a.sname == "198.18.0.1");
        CHECK(a.siaddr == server);
        CHECK(a.options.string(option::vendor_class) == "PXEClient");
        CHECK(a.options.has(option::client_machine_id));
        CHECK_FALSE(a.options.has(option::vendor_specific));
        CHECK(a.yiaddr.is_zero());
        CHECK(ack.reply->destination == req.ciaddr);
        CHECK(ack.reply->port == 4011);
    }
}

TEST_CASE("4011 answers go to the request's source port") {
    auto req = pxe_request(MessageType::request, 9);
    req.ciaddr = *Ipv4Address::parse("198.18.0.150");
    auto ctx = context_on("lab0", pxe_port);
    ctx.source_address = req.ciaddr;
    ctx.source_port = 68;
    CHECK(respond(req, ctx).reply->port == 68);
}

TEST_CASE("iPXE gets siaddr and its script URL, on its first DISCOVER") {
    auto m = pxe_request(MessageType::discover, 0);
    m.options.set_string(option::user_class, "iPXE");
    auto out = respond(m);
    REQUIRE(out.reply);
    CHECK(out.reply->message.siaddr == server);
    CHECK(out.reply->message.file == "http://198.18.0.1:8080/ipxe/52-54-00-00-00-01.ipxe");

    auto efi = pxe_request(MessageType::discover, 7);
    efi.options.set(option::ipxe_encapsulated, {19, 1, 1});
    out = respond(efi);
    REQUIRE(out.reply);
    // iPXE under UEFI needs the file in the offer, not a 4011 round.
    CHECK(out.reply->message.file == "http://198.18.0.1:8080/ipxe/52-54-00-00-00-01.ipxe");
    CHECK(out.reply->message.siaddr == server);
}

TEST_CASE("HTTPClient gets HTTPClient back and a URL") {
    auto m = pxe_request(MessageType::discover, 16);
    m.options.set_string(option::vendor_class, "HTTPClient:Arch:00016:UNDI:003000");
    const auto out = respond(m);
    REQUIRE(out.reply);
    CHECK(out.reply->message.options.string(option::vendor_class) == "HTTPClient");
    CHECK(out.reply->message.file == "http://198.18.0.1:8080/ipxe.efi");
}

TEST_CASE("never answers non-PXE clients, malformed PXE options, or REQUESTs for others") {
    auto plain = request(MessageType::discover);
    plain.options.set_string(option::vendor_class, "udhcp 1.35.0");
    CHECK(respond(plain).note == "not a PXE client");
    CHECK_FALSE(respond(plain).reply);
    CHECK_FALSE(respond(request(MessageType::discover)).reply);

    auto bad97 = pxe_request(MessageType::discover, 0);
    bad97.options.set(option::client_machine_id, {0, 1});
    const auto out = respond(bad97);
    CHECK_FALSE(out.reply);
    CHECK(out.note.find("options[97]") != std::string::npos);

    auto other = pxe_request(MessageType::request, 0);
    other.options.set_address(option::server_identifier, *Ipv4Address::parse("198.18.0.2"));
    CHECK_FALSE(respond(other).reply);
    auto no_server = pxe_request(MessageType::request, 0);
    CHECK_FALSE(respond(no_server).reply);

    auto reply = pxe_request(MessageType::discover, 0);
    reply.op = op_reply;
    CHECK_FALSE(respond(reply).reply);
    CHECK_FALSE(respond(pxe_request(MessageType::release, 0)).reply);
    CHECK_FALSE(respond(pxe_request(MessageType::discover, 2)).reply);  // unknown arch
}

TEST_CASE("a REQUEST on 67 naming us is answered") {
    auto m = pxe_request(MessageType::request, 0);
    m.options.set_address(option::server_identifier, server);
    const auto out = respond(m);
    REQUIRE(out.reply);
    CHECK(out.reply->message.type() == MessageType::ack);
    CHECK(out.reply->message.file == "undionly.kpxe");
}

TEST_CASE("unknown hosts are ignored when the policy says so") {
    auto c = proxy_site;
    c.boot.unknown_hosts = config::UnknownHostPolicy::ignore;
    const auto out = ProxyDhcpResponder(c).respond(
        pxe_request(MessageType::discover, 0, "52:54:00:aa:bb:cc"), context_on());
    CHECK_FALSE(out.reply);
}

TEST_CASE("relayed: unicast to giaddr:67 with option 82 echoed unchanged and last") {
    auto m = pxe_request(MessageType::discover, 0);
    m.giaddr = *Ipv4Address::parse("198.19.5.1");
    const std::vector<std::uint8_t> relay{1, 3, 'e', 't', 'h', 2, 2, 0xaa, 0xbb};
    m.options.set(option::relay_agent_information, relay);
    const auto out = respond(m);
    REQUIRE(out.reply);
    CHECK(out.reply->destination == m.giaddr);
    CHECK(out.reply->port == server_port);
    CHECK(out.reply->message.giaddr == m.giaddr);
    const auto& all = out.reply->message.options.all();
    CHECK(all.back().code == option::relay_agent_information);
    CHECK(all.back().value == relay);
    // and it survives the wire: 82 is the last option before END
    const auto bytes = encode(out.reply->message);
    const auto back = decode(bytes);
    REQUIRE(back.message);
    CHECK(back.message->options.all().back().code == option::relay_agent_information);
}
