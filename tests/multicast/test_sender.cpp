#include "multicast/sender.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "multicast/control.hpp"
#include "multicast/file_chunks.hpp"

namespace mc = castline::multicast;
using boost::asio::ip::tcp;

namespace {

// The challenge a sender with these settings sends to a receiver that says hello on loopback.
mc::Challenge challenge_from(mc::SenderSettings settings) {
    const auto image = std::filesystem::temp_directory_path() / "castline-test-sender.bin";
    std::ofstream(image, std::ios::binary) << std::string(5000, 'x');
    mc::FileChunkSource source(image.string(), 4096);
    settings.session_name = "lab";
    settings.bind_address = castline::Ipv4Address{0x7F000001};
    boost::asio::io_context io;
    mc::Sender sender(io, settings, source);
    sender.open();

    tcp::socket client(io);
    client.connect({boost::asio::ip::address_v4::loopback(), sender.control_port()});
    boost::asio::write(client, boost::asio::buffer(mc::encode_control(
                                   mc::Hello{.session_name = "lab", .client_name = "test"})));
    std::array<std::uint8_t, 4> prefix{};
    std::vector<std::uint8_t> frame;
    std::thread reader([&] {
        boost::asio::read(client, boost::asio::buffer(prefix));
        frame.resize(std::size_t{prefix[0]} << 24 | std::size_t{prefix[1]} << 16 |
                     std::size_t{prefix[2]} << 8 | prefix[3]);
        boost::asio::read(client, boost::asio::buffer(frame));
        io.stop();
    });
    io.run_for(std::chrono::seconds(5));
    reader.join();
    std::filesystem::remove(image);
    auto decoded = mc::decode_control(frame);
    REQUIRE(std::holds_alternative<mc::ControlMessage>(decoded));
    auto& message = std::get<mc::ControlMessage>(decoded);
    REQUIRE(std::holds_alternative<mc::Challenge>(message));
    return std::get<mc::Challenge>(message);
}

}  // namespace

TEST_CASE("an open session asks for one PBKDF2 iteration, a password session for the setting") {
    mc::SenderSettings open;
    CHECK(challenge_from(open).iterations == 1);
    mc::SenderSettings closed;
    closed.password = "secret";
    closed.pbkdf2_iterations = 2000;
    CHECK(challenge_from(closed).iterations == 2000);
}
