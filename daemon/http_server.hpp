#pragma once
// HTTP/1.1 server on one IPv4 address (Boost.Beast): keep-alive, Content-Length, requests
// dispatched through an HttpRouter, files sent with sendfile(2), one log line per request.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "common/descriptor_budget.hpp"
#include "common/ipv4_address.hpp"
#include "daemon/http_router.hpp"

namespace castline::daemon {

class HttpSession;

// Limits against clients that hold connections without using them (docs/http.md, "Limits").
struct HttpServerSettings {
    Ipv4Address address;
    std::uint16_t port = 8080;  // 0: an ephemeral port (tests), see HttpServer::port()
    // To receive a whole request, counted from the first byte awaited (also between keep-alive
    // requests): a silent or dribbling client is closed after it.
    std::chrono::seconds idle_timeout{30};
    // A response the client accepts no byte of for this long is ended.
    std::chrono::seconds send_timeout{30};
    std::size_t max_body = 1024 * 1024;
    std::size_t max_connections = 1024;
    std::size_t max_connections_per_client = 16;
    // Shared with the other services; each connection holds two descriptors of it (the socket
    // and the file it sends). Null: only max_connections bounds.
    std::shared_ptr<DescriptorBudget> descriptors;
    // Successful GET/HEAD requests log at debug, not info: the API, which is polled.
    bool reads_at_debug = false;
};

class HttpServer {
  public:
    // Binds at once; throws boost::system::system_error when the address or port is taken.
    HttpServer(boost::asio::io_context& io, HttpServerSettings settings,
               std::shared_ptr<const HttpRouter> router);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::uint16_t port() const;
    void stop();

  private:
    void accept();
    void on_accept(const boost::system::error_code& error, boost::asio::ip::tcp::socket socket);
    // Why a new connection is closed at once, or empty when it is taken.
    std::string_view refusal(std::uint32_t client);
    void log_refusal(const boost::asio::ip::tcp::socket& socket, std::string_view reason);

    boost::asio::io_context& io_;
    HttpServerSettings settings_;
    std::shared_ptr<const HttpRouter> router_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer accept_pause_;
    struct SessionTable {
        std::unordered_map<HttpSession*, std::weak_ptr<HttpSession>> sessions;
        std::unordered_map<std::uint32_t, std::size_t> per_client;  // open connections by address
    };
    std::shared_ptr<SessionTable> table_ = std::make_shared<SessionTable>();
    // Refusals are logged at most once a second, with the count since the last line.
    std::chrono::steady_clock::time_point last_refusal_log_{};
    std::size_t refusals_unlogged_ = 0;
    bool stopped_ = false;
};

}  // namespace castline::daemon
