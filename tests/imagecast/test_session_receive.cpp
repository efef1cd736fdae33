#include "imagecast/session_receive.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "imagecast/file_receive_sink.hpp"
#include "multicast/file_chunks.hpp"
#include "multicast/sender.hpp"

namespace mc = castline::multicast;
using namespace castline::imagecast;

TEST_CASE("a receive ends as soon as the receiver does, not at the progress ticker's next second") {
    const auto dir = std::filesystem::temp_directory_path();
    const auto image = dir / "castline-test-session-receive.bin";
    const auto target = dir / "castline-test-session-receive.out";
    std::ofstream(image, std::ios::binary) << std::string(5000, 'x');
    mc::FileChunkSource source(image.string(), 4096);
    mc::SenderSettings sender_settings;
    sender_settings.session_name = "lab";
    sender_settings.password = "right";
    sender_settings.pbkdf2_iterations = 10000;
    sender_settings.bind_address = castline::Ipv4Address{0x7F000001};
    boost::asio::io_context sender_io;
    mc::Sender sender(sender_io, sender_settings, source);
    sender.open();
    std::thread sender_thread([&] { sender_io.run_for(std::chrono::seconds(5)); });

    // A wrong password is refused within milliseconds of connecting.
    mc::ReceiverSettings settings;
    settings.address.server = "127.0.0.1";
    settings.address.control_port = sender.control_port();
    settings.address.name = "lab";
    settings.password = "wrong";
    FileReceiveSink sink(target.string(), false);
    const auto started = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(
        receive_session(settings, sink, [](const castline::imager::ProgressSnapshot&) {}),
        castline::imager::ImagerError);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(900));

    sender_io.stop();
    sender_thread.join();
    std::filesystem::remove(image);
    std::filesystem::remove(target);
}
