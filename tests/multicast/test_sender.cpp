#include "multicast/sender.hpp"

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

mc::ControlMessage read_message(tcp::socket& s) {
    std::array<std::uint8_t, 4> prefix{};
    boost::asio::read(s, boost::asio::buffer(prefix));
    std::vector<std::uint8_t> frame(std::size_t{prefix[0]} << 24 | std::size_t{prefix[1]} << 16 |
                                    std::size_t{prefix[2]} << 8 | prefix[3]);
    boost::asio::read(s, boost::asio::buffer(frame));
    auto decoded = mc::decode_control(frame);
    if (const auto* e = std::get_if<mc::ControlError>(&decoded))
        throw std::runtime_error(e->reason);
    return std::get<mc::ControlMessage>(decoded);
}

// Joins the open session "lab" on `port` as `name` the way a receiver does; returns the
// connection after the welcome, throws naming what came instead.
tcp::socket join(boost::asio::io_context& io, std::uint16_t port, const std::string& name) {
    tcp::socket s(io);
    s.connect({boost::asio::ip::address_v4::loopback(), port});
    mc::Nonce client_nonce{};
    mc::fill_random(client_nonce);
    boost::asio::write(
        s, boost::asio::buffer(mc::encode_control(mc::Hello{
               .session_name = "lab", .client_nonce = client_nonce, .client_name = name})));
    const auto first = read_message(s);
    if (!std::holds_alternative<mc::Challenge>(first))
        throw std::runtime_error(std::string("no challenge but ") + mc::message_name(first));
    const auto challenge = std::get<mc::Challenge>(first);
    const auto key = mc::derive_password_key("", challenge.salt, challenge.iterations);
    boost::asio::write(s, boost::asio::buffer(mc::encode_control(mc::Proof{mc::client_proof(
                              key, challenge.server_nonce, client_nonce, "lab")})));
    const auto answer = read_message(s);
    if (const auto* r = std::get_if<mc::Refused>(&answer))
        throw std::runtime_error("refused: " + r->message);
    if (!std::holds_alternative<mc::Welcome>(answer))
        throw std::runtime_error(std::string("no welcome but ") + mc::message_name(answer));
    return s;
}

}  // namespace

TEST_CASE(
    "a receiver that left while the session waited counts neither for the start nor "
    "the result") {
    LoopbackSession session(mc::SenderSettings{.start = {.clients = 2}});
    boost::asio::io_context client_io;
    std::optional<tcp::socket> second;
    std::optional<mc::ControlMessage> told;
    session.run_with([&] {
        {
            auto first = join(client_io, session.sender->control_port(), "rebooted");
        }  // its connection is lost while the session waits
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        second.emplace(join(client_io, session.sender->control_port(), "second"));
        told = read_message(*second);
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
    std::optional<tcp::socket> second;
    session.run_with([&] {
        { auto first = join(client_io, session.sender->control_port(), "rebooted"); }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        second.emplace(join(client_io, session.sender->control_port(), "second"));
    });
    CHECK(session.clients_by_name().at("second").state == "joined");
}

TEST_CASE("a start by hand with nobody joined is refused and not remembered") {
    LoopbackSession session(mc::SenderSettings{.start = {.clients = 2}});
    CHECK(session.sender->start_by_hand() == mc::ManualStart::nobody_joined);
    boost::asio::io_context client_io;
    std::optional<tcp::socket> only;
    session.run_with([&] {
        only.emplace(join(client_io, session.sender->control_port(), "only"));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
    CHECK(session.sender->state() == "waiting");
    CHECK(session.sender->start_by_hand() == mc::ManualStart::start);
    CHECK(session.sender->state() == "running");
    CHECK(session.sender->start_by_hand() == mc::ManualStart::not_waiting);
}
