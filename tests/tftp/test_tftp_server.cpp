// TftpServer over real loopback sockets, with a hand-driven client for what ordinary clients
// cannot do on purpose: abort after the OACK, send garbage, write, ACK the wrong port.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "tftp/packet.hpp"
#include "tftp/tftp_server.hpp"

using namespace castline;
using namespace castline::tftp;
namespace fs = std::filesystem;

namespace {

// The server on 127.0.0.1, an ephemeral port, its io_context on a thread of its own.
struct Fixture {
    fs::path root =
        fs::temp_directory_path() / ("castline-tftp-server-" + std::to_string(::getpid()));
    std::string content;
    boost::asio::io_context io;
    std::shared_ptr<VirtualFiles> virtual_files = std::make_shared<VirtualFiles>();
    std::unique_ptr<TftpServer> server;
    std::thread thread;

    Fixture() {
        fs::remove_all(root);
        fs::create_directories(root / "efi");
        for (int i = 0; i < 20000; ++i) content += static_cast<char>((i * 7919) % 251);
        std::ofstream(root / "efi" / "boot.efi", std::ios::binary) << content;
        std::ofstream(root.parent_path() / ("castline-secret-" + std::to_string(::getpid())))
            << "secret";
        virtual_files->add("boot.ipxe",
                           [](const VirtualFileRequest& r) -> std::optional<std::string> {
                               return "#!ipxe\n# for " + r.client.to_string() + "\n";
                           });
        server = std::make_unique<TftpServer>(
            io, TftpServerSettings{.address = *Ipv4Address::parse("127.0.0.1"),
                                   .port = 0,
                                   .root = root,
                                   .timeout = std::chrono::milliseconds(300),
                                   .retries = 2,
                                   .virtual_files = virtual_files});
        thread = std::thread([this] {
            auto guard = boost::asio::make_work_guard(io);
            io.run();
        });
    }
    ~Fixture() {
        boost::asio::post(io, [this] {
            server.reset();
            io.stop();
        });
        thread.join();
        fs::remove_all(root);
        fs::remove(root.parent_path() / ("castline-secret-" + std::to_string(::getpid())));
    }
    std::size_t active() {
        std::promise<std::size_t> p;
        boost::asio::post(io, [&] { p.set_value(server->active_transfers()); });
        return p.get_future().get();
    }
};

// A blocking UDP client with a receive timeout.
struct Client {
    int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in peer{};
    explicit Client(int timeout_ms = 1000) {
        timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Client() { ::close(fd); }
    void send_to(std::uint16_t port, const std::vector<std::uint8_t>& bytes) {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    }
    void reply(const Packet& p) {
        const auto bytes = encode(p);
        ::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&peer),
                 sizeof peer);
    }
    // The next packet, or nothing on timeout; remembers where it came from.
    std::optional<Packet> receive() {
        std::vector<std::uint8_t> buffer(70000);
        socklen_t len = sizeof peer;
        const auto n = ::recvfrom(fd, buffer.data(), buffer.size(), 0,
                                  reinterpret_cast<sockaddr*>(&peer), &len);
        if (n < 0) return std::nullopt;
        auto r = decode({buffer.data(), static_cast<std::size_t>(n)});
        REQUIRE(r.ok());
        return r.packet();
    }
    std::uint16_t peer_port() const { return ntohs(peer.sin_port); }
};

Request rrq(std::string name, std::vector<Option> options = {}) {
    return Request{Opcode::rrq, std::move(name), "octet", std::move(options)};
}

}  // namespace

TEST_CASE("EDK2 pattern: OACK with tsize, abort with error 8, ask again with windowsize 4") {
    Fixture f;
    const std::vector<Option> edk2{{"tsize", "0"}, {"blksize", "1468"}, {"windowsize", "4"}};
    {
        Client c;
        c.send_to(f.server->port(), encode(rrq("efi/boot.efi", edk2)));
        auto oack = c.receive();
        REQUIRE(oack);
        CHECK(std::get<OptionAck>(*oack).options ==
              std::vector<Option>{{"tsize", "20000"}, {"blksize", "1468"}, {"windowsize", "4"}});
        CHECK(c.peer_port() != f.server->port());
        c.reply(Error{ErrorCode::option_refused, "tsize only"});
    }
    Client c;
    c.send_to(f.server->port(), encode(rrq("\\efi\\boot.efi", edk2)));
    REQUIRE(c.receive());
    c.reply(Ack{0});
    std::string got;
    std::uint16_t expected = 1;
    for (int packets = 0; packets < 100; ++packets) {
        auto p = c.receive();
        REQUIRE(p);
        const auto& data = std::get<Data>(*p);
        REQUIRE(data.block == expected);
        got.append(data.payload.begin(), data.payload.end());
        const bool last = data.payload.size() < 1468;
        if (expected % 4 == 0 || last) c.reply(Ack{data.block});
        ++expected;
        if (last) break;
    }
    CHECK(got == f.content);
    for (int i = 0; i < 100 && f.active() != 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(f.active() == 0);
}

TEST_CASE("a client that vanishes after the OACK (ICMP unreachable) ends its transfer") {
    Fixture f;
    {
        Client c;
        c.send_to(f.server->port(), encode(rrq("efi/boot.efi", {{"tsize", "0"}})));
        REQUIRE(c.receive());
    }  // socket closed: the server's next send meets port unreachable
    for (int i = 0; i < 200 && f.active() != 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(f.active() == 0);
}

TEST_CASE("write requests get error 2; malformed requests error 4; stray ACKs nothing") {
    Fixture f;
    Client c(300);
    c.send_to(f.server->port(), encode(Request{Opcode::wrq, "x", "octet", {}}));
    auto p = c.receive();
    REQUIRE(p);
    CHECK(std::get<Error>(*p).code == ErrorCode::access_violation);

    c.send_to(f.server->port(), {0, 1, 'a', 'b'});
    p = c.receive();
    REQUIRE(p);
    CHECK(std::get<Error>(*p).code == ErrorCode::illegal_operation);
    CHECK(std::get<Error>(*p).message.find("filename") != std::string::npos);

    c.send_to(f.server->port(), encode(Ack{1}));
    CHECK_FALSE(c.receive());
    c.send_to(f.server->port(), {0, 9, 0, 0});
    CHECK_FALSE(c.receive());

    c.send_to(f.server->port(), encode(Request{Opcode::rrq, "efi/boot.efi", "mail", {}}));
    p = c.receive();
    REQUIRE(p);
    CHECK(std::get<Error>(*p).code == ErrorCode::illegal_operation);
}

TEST_CASE("escapes get error 2 without a server path; missing files error 1") {
    Fixture f;
    Client c;
    const std::string secret = "../castline-secret-" + std::to_string(::getpid());
    for (const auto& name :
         {secret, std::string("/") + secret, std::string("..\\x"), std::string("//etc/passwd")}) {
        c.send_to(f.server->port(), encode(rrq(name)));
        auto p = c.receive();
        REQUIRE(p);
        const auto& e = std::get<Error>(*p);
        CHECK(e.code == ErrorCode::access_violation);
        CHECK(e.message.find(f.root.string()) == std::string::npos);
    }
    c.send_to(f.server->port(), encode(rrq("nope.efi")));
    auto p = c.receive();
    REQUIRE(p);
    CHECK(std::get<Error>(*p).code == ErrorCode::file_not_found);
    CHECK(std::get<Error>(*p).message == "file not found");
}

TEST_CASE("virtual files and netascii") {
    Fixture f;
    Client c;
    c.send_to(f.server->port(), encode(Request{Opcode::rrq, "/boot.ipxe", "netascii", {}}));
    auto p = c.receive();
    REQUIRE(p);
    const auto& data = std::get<Data>(*p);
    CHECK(std::string(data.payload.begin(), data.payload.end()) == "#!ipxe\r\n# for 127.0.0.1\r\n");
    c.reply(Ack{1});
}

TEST_CASE("unanswered data is resent, then the transfer gives up") {
    Fixture f;  // timeout 300 ms, 2 retries
    Client c(2000);
    c.send_to(f.server->port(), encode(rrq("efi/boot.efi")));
    int copies = 0;
    while (auto p = c.receive()) {
        CHECK(std::get<Data>(*p).block == 1);
        ++copies;
    }
    CHECK(copies == 3);
    CHECK(f.active() == 0);
}
