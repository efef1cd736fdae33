#pragma once
// HTTP/1.1 server on one IPv4 address (Boost.Beast): keep-alive, Content-Length, requests
// dispatched through an HttpRouter, files sent with sendfile(2), one log line per request.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <unordered_map>

#include "common/ipv4_address.hpp"
#include "daemon/http_router.hpp"

namespace castline::daemon {

class HttpSession;

struct HttpServerSettings {
    Ipv4Address address;
    std::uint16_t port = 8080;  // 0: an ephemeral port (tests), see HttpServer::port()
    std::chrono::seconds idle_timeout{30};
    std::size_t max_body = 1024 * 1024;
    std::size_t max_connections = 1024;
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

    boost::asio::io_context& io_;
    HttpServerSettings settings_;
    std::shared_ptr<const HttpRouter> router_;
    boost::asio::ip::tcp::acceptor acceptor_;
    using SessionTable = std::unordered_map<HttpSession*, std::weak_ptr<HttpSession>>;
    std::shared_ptr<SessionTable> sessions_ = std::make_shared<SessionTable>();
    bool stopped_ = false;
};

}  // namespace castline::daemon
