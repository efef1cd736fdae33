#include "multicast/sender.hpp"

#include <poll.h>

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <thread>

#include "multicast/auth.hpp"
#include "multicast/control.hpp"
#include "multicast/file_chunks.hpp"
#include "multicast/handshake.hpp"

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
    boost::asio::write(
        client,
        boost::asio::buffer(mc::encode_control(mc::Hello{
            .version = mc::protocol_version, .session_name = "lab", .client_name = "test"})));
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
    closed.pbkdf2_iterations = 20000;
    CHECK(challenge_from(closed).iterations == 20000);
}

namespace {

// A sender on loopback with a small file, run on the test's thread while a client runs on its
// own (the sender is not thread-safe: it is only looked at once the client is done).
struct LoopbackSession {
    std::filesystem::path image =
        std::filesystem::temp_directory_path() / "castline-test-sender-session.bin";
    std::unique_ptr<mc::FileChunkSource> source;
    boost::asio::io_context io;
    std::unique_ptr<mc::Sender> sender;

    explicit LoopbackSession(mc::SenderSettings settings) {
        std::ofstream(image, std::ios::binary) << std::string(5000, 'x');
        source = std::make_unique<mc::FileChunkSource>(image.string(), 4096);
        settings.session_name = "lab";
        settings.bind_address = castline::Ipv4Address{0x7F000001};
        sender = std::make_unique<mc::Sender>(io, settings, *source);
        sender->open();
    }
    ~LoopbackSession() {
        sender->stop("test over");
        io.run_for(std::chrono::milliseconds(50));
        std::filesystem::remove(image);
    }
    // Runs the sender until `client` returns; rethrows what the client threw.
    void run_with(const std::function<void()>& client) {
        std::atomic<bool> done = false;
        std::exception_ptr error;
        std::thread t([&] {
            try {
                client();
            } catch (...) {
                error = std::current_exception();
            }
            done = true;
        });
        while (!done) io.run_for(std::chrono::milliseconds(10));
        t.join();
        if (error) std::rethrow_exception(error);
    }
    std::map<std::string, mc::ClientInfo> clients_by_name() const {
        std::map<std::string, mc::ClientInfo> out;
        for (const auto& c : sender->clients()) out[c.name] = c;
        return out;
    }
};

// A receiver's control connection driven by hand: the real handshake state machine over a
// blocking socket, from a chosen source address.
struct TestReceiver {
    tcp::socket socket;
    mc::ReceiverHandshake handshake;

    TestReceiver(boost::asio::io_context& io, std::uint16_t port, const std::string& name,
                 const std::string& password = "", const char* from = "127.0.0.1")
        : socket(io), handshake("lab", password, name, random_nonce()) {
        socket.open(tcp::v4());
        socket.bind({boost::asio::ip::make_address_v4(from), 0});
        socket.connect({boost::asio::ip::address_v4::loopback(), port});
    }
    static mc::Nonce random_nonce() {
        mc::Nonce n{};
        mc::fill_random(n);
        return n;
    }
    std::vector<std::uint8_t> read_frame() {
        std::array<std::uint8_t, 4> prefix{};
        boost::asio::read(socket, boost::asio::buffer(prefix));
        std::vector<std::uint8_t> frame(std::size_t{prefix[0]} << 24 |
                                        std::size_t{prefix[1]} << 16 | std::size_t{prefix[2]} << 8 |
                                        prefix[3]);
        boost::asio::read(socket, boost::asio::buffer(frame));
        return frame;
    }
    // Hello to welcome; the step that ended it (joined, refused or failed).
    mc::ReceiverHandshake::Step join() {
        boost::asio::write(socket, boost::asio::buffer(handshake.hello()));
        for (;;) {
            auto step = handshake.on_frame(read_frame());
            if (step.kind != mc::ReceiverHandshake::Step::Kind::reply) return step;
            boost::asio::write(socket, boost::asio::buffer(step.frame));
        }
    }
    // A tagged frame after the welcome.
    mc::ControlMessage read() {
        auto decoded = handshake.channel().open(read_frame());
        if (const auto* e = std::get_if<mc::ControlError>(&decoded))
            throw std::runtime_error(e->reason);
        return std::get<mc::ControlMessage>(decoded);
    }
};

// Joins the open session "lab" on `port` as `name`; throws naming what came instead.
std::unique_ptr<TestReceiver> join(boost::asio::io_context& io, std::uint16_t port,
                                   const std::string& name) {
    auto r = std::make_unique<TestReceiver>(io, port, name);
    const auto step = r->join();
    if (step.kind != mc::ReceiverHandshake::Step::Kind::joined)
        throw std::runtime_error("not joined: " + step.error);
    return r;
}

}  // namespace

TEST_CASE(
    "a receiver that left while the session waited counts neither for the start nor "
    "the result") {
    LoopbackSession session(mc::SenderSettings{.start = {.clients = 2}});
    boost::asio::io_context client_io;
    std::unique_ptr<TestReceiver> second;
    std::optional<mc::ControlMessage> told;
    session.run_with([&] {
        {
            auto first = join(client_io, session.sender->control_port(), "rebooted");
        }  // its connection is lost while the session waits
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        second = join(client_io, session.sender->control_port(), "second");
        told = second->read();
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
    CHECK(session.sender->state() == "waiting");
    const auto clients = session.clients_by_name();
    CHECK(clients.at("rebooted").state == "left");
    CHECK(clients.at("rebooted").reason.starts_with("connection lost"));
    CHECK(clients.at("second").state == "joined");
    REQUIRE(told);
    REQUIRE(std::holds_alternative<mc::Waiting>(*told));
    CHECK(std::get<mc::Waiting>(*told).joined == 1);
    CHECK(std::get<mc::Waiting>(*told).wanted == 2);
    session.sender->stop("test over");
    CHECK(session.sender->result().summary.starts_with("0 of 1 receiver done"));
}

TEST_CASE("max_clients counts only the receivers still there") {
    LoopbackSession session(mc::SenderSettings{.start = {.manual = true}, .max_clients = 1});
    boost::asio::io_context client_io;
    std::unique_ptr<TestReceiver> second;
    session.run_with([&] {
        { auto first = join(client_io, session.sender->control_port(), "rebooted"); }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        second = join(client_io, session.sender->control_port(), "second");
    });
    CHECK(session.clients_by_name().at("second").state == "joined");
}

TEST_CASE("a start by hand with nobody joined is refused and not remembered") {
    LoopbackSession session(mc::SenderSettings{.start = {.clients = 2}});
    CHECK(session.sender->start_by_hand() == mc::ManualStart::nobody_joined);
    boost::asio::io_context client_io;
    std::unique_ptr<TestReceiver> only;
    session.run_with([&] {
        only = join(client_io, session.sender->control_port(), "only");
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
    CHECK(session.sender->state() == "waiting");
    CHECK(session.sender->start_by_hand() == mc::ManualStart::start);
    CHECK(session.sender->state() == "running");
    CHECK(session.sender->start_by_hand() == mc::ManualStart::not_waiting);
}

TEST_CASE("failed joins from one address are turned away while another address still joins") {
    mc::SenderSettings settings;
    settings.password = "right";
    settings.pbkdf2_iterations = mc::min_pbkdf2_iterations;
    settings.start.manual = true;
    settings.join_limit.max_failures = 2;
    LoopbackSession session(settings);
    boost::asio::io_context client_io;
    std::vector<std::string> attacker;
    std::unique_ptr<TestReceiver> neighbour;
    mc::ReceiverHandshake::Step neighbour_step;
    session.run_with([&] {
        for (int i = 0; i < 3; ++i) {
            TestReceiver guess(client_io, session.sender->control_port(), "guess", "wrong",
                               "127.0.0.2");
            attacker.push_back(guess.join().error);
        }
        neighbour = std::make_unique<TestReceiver>(client_io, session.sender->control_port(), "pc",
                                                   "right", "127.0.0.1");
        neighbour_step = neighbour->join();
    });
    REQUIRE(attacker.size() == 3);
    CHECK(attacker[0] == "refused (bad_password): wrong password for session 'lab'");
    CHECK(attacker[1] == "refused (bad_password): wrong password for session 'lab'");
    CHECK(attacker[2] ==
          "refused (too_many_failures): too many failed joins from 127.0.0.2; try again in 60 s");
    CHECK(neighbour_step.kind == mc::ReceiverHandshake::Step::Kind::joined);
}

TEST_CASE("the control port listens on the session interface's address, not on all") {
    mc::SenderSettings settings;
    settings.interface = "lo";
    const auto image = std::filesystem::temp_directory_path() / "castline-test-sender-bind.bin";
    std::ofstream(image, std::ios::binary) << std::string(100, 'x');
    mc::FileChunkSource source(image.string(), 4096);
    settings.session_name = "lab";
    boost::asio::io_context io;
    mc::Sender sender(io, settings, source);
    sender.open();
    CHECK(sender.control_address() == boost::asio::ip::address_v4::loopback());
    sender.stop("test over");
    std::filesystem::remove(image);
}

TEST_CASE("a password session below the minimum PBKDF2 iteration count does not open") {
    mc::SenderSettings settings;
    settings.password = "secret";
    settings.pbkdf2_iterations = mc::min_pbkdf2_iterations - 1;
    CHECK_THROWS_WITH(LoopbackSession{settings},
                      "PBKDF2 iterations 9999 is below the 10000 receivers accept for a password "
                      "session");
}

TEST_CASE("connections still in their handshake are capped; a receiver joins once one goes") {
    mc::SenderSettings settings;
    settings.start.manual = true;
    settings.max_unauthenticated = 2;
    settings.handshake_timeout = std::chrono::seconds(60);
    LoopbackSession session(settings);
    boost::asio::io_context client_io;
    const tcp::endpoint control{boost::asio::ip::address_v4::loopback(),
                                session.sender->control_port()};
    boost::system::error_code third_read;
    mc::ReceiverHandshake::Step joined;
    session.run_with([&] {
        // Two connections that never say hello hold both handshake slots.
        std::vector<tcp::socket> silent;
        for (int i = 0; i < 2; ++i) {
            silent.emplace_back(client_io);
            silent.back().connect(control);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        // A third is closed at once (well before the 60 s handshake timeout): its read ends in
        // EOF or a reset within 2 s instead of waiting.
        tcp::socket third(client_io);
        third.connect(control);
        pollfd readable{.fd = third.native_handle(), .events = POLLIN, .revents = 0};
        if (::poll(&readable, 1, 2000) == 1) {
            std::array<std::uint8_t, 1> byte{};
            third.read_some(boost::asio::buffer(byte), third_read);
        }
        // One silent connection goes; its slot is free for a receiver.
        silent.front().close();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        TestReceiver receiver(client_io, session.sender->control_port(), "pc");
        joined = receiver.join();
    });
    CHECK((third_read == boost::asio::error::eof ||
           third_read == boost::asio::error::connection_reset));
    CHECK(joined.kind == mc::ReceiverHandshake::Step::Kind::joined);
}
