// Any sequence of requests to the full DHCP responder with a fresh lease table
// (tests/fuzz/dhcp_requests_fuzz.hpp): answers or notes, never a crash; every address it offers,
// acknowledges or records lies in a configured pool or is a host's reservation.
#include "dhcp/full_responder.hpp"
#include "tests/fuzz/dhcp_requests_fuzz.hpp"

namespace {
bool ours(const castline::config::SiteConfig& config, castline::Ipv4Address a) {
    for (const auto& pool : config.dhcp.pools)
        if (a.value >= pool.first.value && a.value <= pool.last.value) return true;
    for (const auto& host : config.hosts)
        if (host.address == a) return true;
    return false;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::dhcp;
    static const auto config = test::site(castline::config::DhcpMode::full);
    LeaseTable leases;
    FullDhcpResponder responder(config, leases);
    castline::fuzz::for_each_request(
        data, size, [&](const Message& request, const RequestContext& context) {
            const auto out = responder.respond(request, context);
            for (const auto& lease : out.lease_changes)
                if (!ours(config, lease.address)) __builtin_trap();
            if (!out.reply) {
                if (out.note.empty()) __builtin_trap();
                return;
            }
            castline::fuzz::check_reply(request, *out.reply);
            const auto& m = out.reply->message;
            if ((m.type() == MessageType::offer || m.type() == MessageType::ack) &&
                !m.yiaddr.is_zero() && !ours(config, m.yiaddr))
                __builtin_trap();
        });
    return 0;
}
