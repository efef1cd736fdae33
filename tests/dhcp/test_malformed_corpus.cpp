// The malformed-packet corpus (tests/dhcp/malformed, also sent over the wire by the proxy lab
// test): each packet is refused by the decoder with a named field, or decodes into something the
// proxy responder must not answer. Either way: no reply, no crash.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "dhcp/message.hpp"
#include "dhcp/proxy_responder.hpp"
#include "requests.hpp"

using namespace castline;
using namespace castline::dhcp;

TEST_CASE("no packet of the malformed corpus gets a proxy reply") {
    const auto dir = std::filesystem::path(CASTLINE_SOURCE_DIR) / "tests/dhcp/malformed";
    const auto site = test::site(config::DhcpMode::proxy);
    ProxyDhcpResponder responder(site);
    std::size_t files = 0, refused = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
        ++files;
        const auto decoded = decode(bytes);
        if (!decoded.message) {
            ++refused;
            CHECK_MESSAGE(!decoded.error->field.empty(), entry.path().filename().string());
            continue;
        }
        for (std::uint16_t port : {server_port, pxe_port}) {
            auto context = test::context_on("lab0", port);
            context.source_address = *Ipv4Address::parse("198.18.0.77");
            const auto out = responder.respond(*decoded.message, context);
            const std::string what = entry.path().filename().string() + ": " + out.note;
            CHECK_MESSAGE(!out.reply, what);
        }
    }
    CHECK(files >= 29);
    CHECK(refused >= 17);  // the rest decode but are not for a proxy
}
