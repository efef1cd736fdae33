// Any requests to the proxy DHCP responder (tests/fuzz/dhcp_requests_fuzz.hpp): an answer or a
// note saying why none, never a crash; an answer is an OFFER or ACK without an address.
#include "dhcp/proxy_responder.hpp"
#include "tests/fuzz/dhcp_requests_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::dhcp;
    static const auto config = test::site(castline::config::DhcpMode::proxy);
    const ProxyDhcpResponder responder(config);
    castline::fuzz::for_each_request(
        data, size, [&](const Message& request, const RequestContext& context) {
            const auto out = responder.respond(request, context);
            if (!out.reply) {
                if (out.note.empty()) __builtin_trap();
                return;
            }
            castline::fuzz::check_reply(request, *out.reply);
            const auto type = out.reply->message.type();
            if ((type != MessageType::offer && type != MessageType::ack) ||
                !out.reply->message.yiaddr.is_zero())
                __builtin_trap();
        });
    return 0;
}
