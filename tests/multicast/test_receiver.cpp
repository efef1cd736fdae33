#include "multicast/receiver.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "multicast/file_chunks.hpp"
#include "multicast/resolver.hpp"

namespace mc = castline::multicast;
using boost::asio::ip::tcp;

namespace {

// The server side on loopback, in its own thread so that it answers while the receiver's thread
// is blocked: a resolver that knows one session and a control port that counts connections and
// keeps them open without answering.
struct Server {
    boost::asio::io_context io;
    mc::SessionResolver resolver{io, boost::asio::ip::address_v4::loopback(), 0};
    tcp::acceptor acceptor{io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)};
    std::vector<tcp::socket> held;
    std::atomic<int> connections = 0;
    std::thread thread;

    explicit Server(const std::string& name) {
        resolver.add({name, acceptor.local_endpoint().port(), 0xEFC60A0A, 5000});
        accept();
        thread = std::thread([this] { io.run_for(std::chrono::seconds(3)); });
    }
    ~Server() {
        io.stop();
        thread.join();
    }
    void accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket s) {
            if (ec) return;
            ++connections;
            held.push_back(std::move(s));
            accept();
        });
    }
};

}  // namespace

TEST_CASE("a resolver answer ready in the same turn as the retry timer opens one connection") {
    Server server("lab");
    const auto target = std::filesystem::temp_directory_path() / "castline-test-receiver.out";
    mc::FileChunkSink sink(target.string(), false);
    mc::ReceiverSettings settings;
    settings.address.server = "127.0.0.1";
    settings.address.resolver_port = server.resolver.port();
    settings.address.name = "lab";
    settings.password = "pw";
    boost::asio::io_context io;
    mc::Receiver receiver(io, settings, sink);
    receiver.start();  // sends the first query and sets the 20 ms retry timer
    // A frozen machine: by the time this thread runs again, the answer has arrived and the
    // timer has expired, so both complete in the same turn of the event loop.
    boost::asio::post(io, [] { std::this_thread::sleep_for(std::chrono::milliseconds(80)); });
    // Longer than the connect retry (250 ms), which a second, cancelled attempt would trigger.
    io.run_for(std::chrono::milliseconds(700));
    CHECK(server.connections == 1);
    CHECK_FALSE(receiver.finished());
    std::filesystem::remove(target);
}
