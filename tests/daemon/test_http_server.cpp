// HttpServer on 127.0.0.1 with real sockets: what a throwing handler, the per-client cap and the
// descriptor budget do to connections.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "daemon/http_server.hpp"

using namespace castline;
using namespace castline::daemon;

namespace {
// A blocking client socket with a 5 s receive timeout; closed at the end of its scope.
struct Client {
    int fd = -1;
    explicit Client(std::uint16_t port) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    }
    ~Client() { ::close(fd); }
    // Sends a GET and returns what arrives until the server closes or 5 s pass ("" when the
    // server closed without answering).
    std::string get(const std::string& target) {
        const std::string request =
            "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
        std::string answer;
        char buffer[4096];
        for (;;) {
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            answer.append(buffer, static_cast<std::size_t>(n));
        }
        return answer;
    }
};

// A server on an ephemeral port with its io_context on a thread of its own.
struct Running {
    boost::asio::io_context io;
    std::unique_ptr<HttpServer> server;
    std::thread thread;
    Running(HttpServerSettings settings, std::shared_ptr<HttpRouter> router) {
        settings.address = Ipv4Address{0x7f000001};
        settings.port = 0;
        server = std::make_unique<HttpServer>(io, settings, router);
        thread = std::thread([this] { io.run(); });
    }
    ~Running() {
        boost::asio::post(io, [this] { server->stop(); });
        io.stop();
        thread.join();
    }
    std::uint16_t port() const { return server->port(); }
};

std::shared_ptr<HttpRouter> router() {
    auto r = std::make_shared<HttpRouter>();
    r->add(http::verb::get, "/ok", [](const HttpRequest& request, const HttpClient&) {
        return HttpResponse(http_text_response(request, http::status::ok, "fine\n"));
    });
    r->add(http::verb::get, "/throw", [](const HttpRequest&, const HttpClient&) -> HttpResponse {
        throw std::runtime_error("handler broke");
    });
    return r;
}

// Waits (at most 5 s) until a new connection is answered: the server notices closed ones
// asynchronously.
bool answered_soon(std::uint16_t port) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < until) {
        if (Client(port).get("/ok").starts_with("HTTP/1.1 200")) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}
}  // namespace

TEST_CASE("a handler that throws answers 500 and the server goes on") {
    Running running(HttpServerSettings{}, router());
    const auto answer = Client(running.port()).get("/throw");
    CHECK(answer.starts_with("HTTP/1.1 500"));
    CHECK(answer.find("internal error") != std::string::npos);
    CHECK(answer.find("handler broke") == std::string::npos);  // the reason is logged, not sent
    CHECK(Client(running.port()).get("/ok").starts_with("HTTP/1.1 200"));
}

TEST_CASE("one client address holds at most max_connections_per_client connections") {
    Running running(HttpServerSettings{.max_connections_per_client = 2}, router());
    std::optional<Client> first(running.port());
    Client second(running.port());
    CHECK(Client(running.port()).get("/ok").empty());  // closed at accept, no answer
    first.reset();
    CHECK(answered_soon(running.port()));
}

TEST_CASE("connections take two descriptors each from the shared budget") {
    auto budget = std::make_shared<DescriptorBudget>(4);
    Running running(HttpServerSettings{.descriptors = budget}, router());
    std::optional<Client> first(running.port());
    Client second(running.port());
    CHECK(Client(running.port()).get("/ok").empty());
    CHECK(budget->in_use() == 4);
    first.reset();
    CHECK(answered_soon(running.port()));
}
