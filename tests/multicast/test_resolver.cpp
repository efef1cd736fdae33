#include "multicast/resolver.hpp"

#include <doctest/doctest.h>

#include <optional>

namespace mc = castline::multicast;
using boost::asio::ip::udp;

namespace {

// A receiver's side on loopback: sends one query and collects the answer, if any.
struct Asker {
    explicit Asker(boost::asio::io_context& io) : socket(io, udp::endpoint(udp::v4(), 0)) {}
    void ask(const std::string& name, std::uint16_t port) {
        const auto query = mc::encode_resolver(mc::ResolverQuery{name});
        socket.send_to(boost::asio::buffer(query),
                       udp::endpoint(boost::asio::ip::address_v4::loopback(), port));
    }
    void listen() {
        socket.async_receive_from(
            boost::asio::buffer(buffer), from, [this](boost::system::error_code ec, std::size_t n) {
                if (ec) return;
                auto d = mc::decode_resolver(std::span<const std::uint8_t>(buffer.data(), n));
                if (auto* a = std::get_if<mc::ResolverAnswer>(&d)) answer = *a;
            });
    }
    udp::socket socket;
    udp::endpoint from;
    std::array<std::uint8_t, 1024> buffer{};
    std::optional<mc::ResolverAnswer> answer;
};

}  // namespace

TEST_CASE("the resolver answers registered names and stays silent for others") {
    boost::asio::io_context io;
    mc::SessionResolver resolver(io, boost::asio::ip::address_v4::loopback(), 0);
    resolver.add({"lab", 4000, 0xEFC60A0A, 5000});
    Asker known(io), unknown(io);
    known.listen();
    unknown.listen();
    known.ask("lab", resolver.port());
    unknown.ask("other", resolver.port());
    io.run_for(std::chrono::milliseconds(200));
    REQUIRE(known.answer);
    CHECK(known.answer->control_port == 4000);
    CHECK(known.answer->data_port == 5000);
    CHECK_FALSE(unknown.answer);
}

TEST_CASE("a receiver that asked before its session existed is answered when it is added") {
    boost::asio::io_context io;
    mc::SessionResolver resolver(io, boost::asio::ip::address_v4::loopback(), 0);
    Asker early(io), elsewhere(io);
    early.listen();
    elsewhere.listen();
    early.ask("later", resolver.port());
    elsewhere.ask("never", resolver.port());
    io.run_for(std::chrono::milliseconds(100));
    CHECK_FALSE(early.answer);
    io.restart();
    resolver.add({"later", 4100, 0xEFC60A0A, 5100});
    io.run_for(std::chrono::milliseconds(100));
    REQUIRE(early.answer);
    CHECK(early.answer->control_port == 4100);
    CHECK_FALSE(elsewhere.answer);
}

TEST_CASE("a query older than the waiting time is not answered") {
    boost::asio::io_context io;
    mc::SessionResolver resolver(io, boost::asio::ip::address_v4::loopback(), 0);
    Asker stale(io);
    stale.listen();
    stale.ask("slow", resolver.port());
    io.run_for(mc::SessionResolver::waiting_time + std::chrono::milliseconds(200));
    io.restart();
    resolver.add({"slow", 4200, 0xEFC60A0A, 5200});
    io.run_for(std::chrono::milliseconds(100));
    CHECK_FALSE(stale.answer);
}
