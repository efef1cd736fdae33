#include "daemon/http_server.hpp"

#include <sys/sendfile.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <cstdio>

#include "common/log.hpp"
#include "daemon/http_log.hpp"

namespace castline::daemon {

namespace beast = boost::beast;
using boost::asio::ip::tcp;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    using Done = std::function<void(HttpSession*)>;
    HttpSession(tcp::socket socket, const HttpServerSettings& settings,
                std::shared_ptr<const HttpRouter> router,
                std::optional<DescriptorBudget::Lease> descriptors, Done done)
        : stream_(std::move(socket)),
          send_timer_(stream_.get_executor()),
          settings_(settings),
          router_(std::move(router)),
          descriptors_(std::move(descriptors)),
          done_(std::move(done)) {
        boost::system::error_code ignored;
        const auto remote = stream_.socket().remote_endpoint(ignored);
        client_.address =
            Ipv4Address{remote.address().is_v4() ? remote.address().to_v4().to_uint() : 0};
        client_.port = remote.port();
    }

    void start() { read_request(); }

    void stop() {
        send_timer_.cancel();
        boost::system::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    ~HttpSession() {
        if (done_) done_(this);
    }

  private:
    void read_request() {
        parser_.emplace();
        parser_->body_limit(settings_.max_body);
        stream_.expires_after(settings_.idle_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code error, std::size_t) {
                             self->on_request(error);
                         });
    }

    void on_request(beast::error_code error) {
        if (error) {
            // End of stream, idle timeout or garbage: a malformed request gets a 400 when the
            // connection can still carry one.
            if (error != http::error::end_of_stream && error != beast::error::timeout &&
                error != boost::asio::error::operation_aborted &&
                error != boost::asio::error::connection_reset &&
                error.category() == beast::error_code(http::error::end_of_stream).category()) {
                HttpRequest bad;
                bad.version(11);
                bad.keep_alive(false);
                auto response = http_text_response(bad, http::status::bad_request,
                                                   "bad request: " + error.message() + "\n");
                log_request("-", "-", 400, 0);
                write_string(std::move(response), false);
                return;
            }
            stop();
            return;
        }
        request_ = parser_->release();
        started_ = std::chrono::steady_clock::now();
        auto response = route();
        if (auto* text = std::get_if<HttpStringResponse>(&response)) {
            const int status = static_cast<int>(text->result_int());
            const auto bytes = text->body().size();
            if (request_.method() == http::verb::head && !text->body().empty()) {
                text->content_length(bytes);
                text->body().clear();
            }
            const bool keep = text->keep_alive();
            log_request(std::string(request_.method_string()), std::string(request_.target()),
                        status, text->body().size());
            write_string(std::move(*text), keep);
        } else {
            file_ = std::move(std::get<HttpFileResponse>(response));
            write_file_header();
        }
    }

    // A handler that throws answers 500 for its request; the connection and every other
    // service go on.
    HttpResponse route() {
        std::string problem;
        try {
            return router_->route(request_, client_);
        } catch (const std::exception& e) {
            problem = e.what();
        } catch (...) {
            problem = "unknown exception";
        }
        log::error("http_handler_failed",
                   {{"client", client_.address.to_string() + ":" + std::to_string(client_.port)},
                    {"method", std::string(request_.method_string())},
                    {"target", loggable_target(request_.target())},
                    {"error", problem}});
        auto response =
            http_text_response(request_, http::status::internal_server_error, "internal error\n");
        response.keep_alive(false);
        return response;
    }

    void write_string(HttpStringResponse response, bool keep_alive) {
        string_response_ = std::move(response);
        stream_.expires_after(settings_.send_timeout);
        http::async_write(
            stream_, *string_response_,
            [self = shared_from_this(), keep_alive](beast::error_code e, std::size_t) {
                self->string_response_.reset();
                self->after_response(e, keep_alive);
            });
    }

    void after_response(beast::error_code error, bool keep_alive) {
        if (error || !keep_alive) {
            stop();
            return;
        }
        read_request();
    }

    void write_file_header() {
        serializer_.emplace(file_->header);
        stream_.expires_after(settings_.send_timeout);
        http::async_write_header(stream_, *serializer_,
                                 [self = shared_from_this()](beast::error_code e, std::size_t) {
                                     if (e) {
                                         self->stop();
                                         return;
                                     }
                                     self->remaining_ = self->file_->length;
                                     self->offset_ = static_cast<off_t>(self->file_->offset);
                                     self->send_file();
                                 });
    }

    // sendfile until done; when the socket buffer is full, wait until it is writable again.
    void send_file() {
        auto& socket = stream_.socket();
        boost::system::error_code error;
        socket.non_blocking(true, error);
        if (error) {
            stop();
            return;
        }
        while (remaining_ > 0) {
            const auto chunk =
                static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, 1 << 20));
            const auto n = ::sendfile(socket.native_handle(), file_->file.fd(), &offset_, chunk);
            if (n > 0) {
                remaining_ -= static_cast<std::uint64_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                wait_writable();
                return;
            }
            // n == 0: the file shrank under us; the promised length cannot be kept.
            log::warn("http_send_failed", {{"client", client_.address.to_string()},
                                           {"target", loggable_target(request_.target())}});
            stop();
            return;
        }
        socket.non_blocking(false, error);
        const bool keep = file_->header.keep_alive();
        const int status = static_cast<int>(file_->header.result_int());
        const auto bytes = file_->length;
        serializer_.reset();
        file_.reset();
        log_request(std::string(request_.method_string()), std::string(request_.target()), status,
                    bytes);
        after_response({}, keep);
    }

    // The socket buffer is full: wait until the client takes bytes again, at most send_timeout.
    // The timer holds no reference, so a closed session is not kept alive by it.
    void wait_writable() {
        send_timer_.expires_after(settings_.send_timeout);
        send_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& e) {
            if (e) return;
            if (auto self = weak.lock()) {
                log::info("http_send_timeout",
                          {{"client", self->client_.address.to_string() + ":" +
                                          std::to_string(self->client_.port)},
                           {"target", loggable_target(self->request_.target())},
                           {"unsent_bytes", self->remaining_}});
                self->stop();
            }
        });
        stream_.socket().async_wait(
            tcp::socket::wait_write,
            [self = shared_from_this()](const boost::system::error_code& e) {
                self->send_timer_.cancel();
                if (e) {
                    self->stop();
                    return;
                }
                self->send_file();
            });
    }

    void log_request(const std::string& method, const std::string& target, int status,
                     std::uint64_t bytes) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        char rate[32];
        std::snprintf(rate, sizeof rate, "%.2f",
                      seconds > 0 ? static_cast<double>(bytes) / seconds / 1e6 : 0.0);
        const bool read = method == "GET" || method == "HEAD";
        const auto level =
            settings_.reads_at_debug && read && status < 400 ? log::Level::debug : log::Level::info;
        if (!log::enabled(level)) return;
        log::write(level, "http_request",
                   {{"client", client_.address.to_string() + ":" + std::to_string(client_.port)},
                    {"method", method},
                    {"target", loggable_target(target)},
                    {"status", status},
                    {"bytes", bytes},
                    {"duration_ms", static_cast<long>(seconds * 1000)},
                    {"rate_MBps", std::string(rate)}});
    }

    beast::tcp_stream stream_;
    boost::asio::steady_timer send_timer_;
    HttpServerSettings settings_;
    std::shared_ptr<const HttpRouter> router_;
    std::optional<DescriptorBudget::Lease> descriptors_;
    Done done_;
    HttpClient client_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    HttpRequest request_;
    std::optional<HttpStringResponse> string_response_;
    std::optional<HttpFileResponse> file_;
    std::optional<http::response_serializer<http::empty_body>> serializer_;
    std::uint64_t remaining_ = 0;
    off_t offset_ = 0;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

HttpServer::HttpServer(boost::asio::io_context& io, HttpServerSettings settings,
                       std::shared_ptr<const HttpRouter> router)
    : io_(io),
      settings_(std::move(settings)),
      router_(std::move(router)),
      acceptor_(io),
      accept_pause_(io) {
    const tcp::endpoint endpoint{boost::asio::ip::address_v4(settings_.address.value),
                                 settings_.port};
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    accept();
}

HttpServer::~HttpServer() {
    stop();
}

std::uint16_t HttpServer::port() const {
    boost::system::error_code ignored;
    return acceptor_.local_endpoint(ignored).port();
}

void HttpServer::stop() {
    if (stopped_) return;
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    accept_pause_.cancel();
    auto sessions = std::move(table_->sessions);
    table_->sessions.clear();
    for (auto& [raw, weak] : sessions)
        if (auto session = weak.lock()) session->stop();
}

void HttpServer::accept() {
    acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
        on_accept(error, std::move(socket));
    });
}

void HttpServer::on_accept(const boost::system::error_code& error, tcp::socket socket) {
    if (error == boost::asio::error::operation_aborted || stopped_) return;
    if (error) {
        // Out of descriptors (EMFILE, ENFILE) or memory: the connection stays queued and the
        // next accept fails at once, so pause instead of spinning on it.
        log::warn("http_accept_failed",
                  {{"address", settings_.address.to_string()}, {"error", error.message()}});
        accept_pause_.expires_after(std::chrono::milliseconds(250));
        accept_pause_.async_wait([this](const boost::system::error_code& e) {
            if (!e && !stopped_) accept();
        });
        return;
    }
    boost::system::error_code ignored;
    const auto remote = socket.remote_endpoint(ignored);
    const std::uint32_t client = remote.address().is_v4() ? remote.address().to_v4().to_uint() : 0;
    auto reason = refusal(client);
    std::optional<DescriptorBudget::Lease> descriptors;
    if (reason.empty() && settings_.descriptors) {
        descriptors = settings_.descriptors->take(2);
        if (!descriptors) reason = "descriptor budget spent";
    }
    if (!reason.empty()) {
        log_refusal(socket, reason);
        socket.close(ignored);
        accept();
        return;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    // Sessions may outlive the server by a pending handler; they reach the table through a
    // weak pointer.
    std::weak_ptr<SessionTable> table = table_;
    auto session = std::make_shared<HttpSession>(
        std::move(socket), settings_, router_, std::move(descriptors),
        [table, client](HttpSession* s) {
            auto t = table.lock();
            if (!t) return;
            t->sessions.erase(s);
            if (auto it = t->per_client.find(client); it != t->per_client.end())
                if (--it->second == 0) t->per_client.erase(it);
        });
    table_->sessions.emplace(session.get(), session);
    ++table_->per_client[client];
    session->start();
    accept();
}

std::string_view HttpServer::refusal(std::uint32_t client) {
    if (table_->sessions.size() >= settings_.max_connections) return "too many connections";
    const auto it = table_->per_client.find(client);
    if (it != table_->per_client.end() && it->second >= settings_.max_connections_per_client)
        return "too many connections from this client";
    return {};
}

void HttpServer::log_refusal(const tcp::socket& socket, std::string_view reason) {
    ++refusals_unlogged_;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_refusal_log_ < std::chrono::seconds(1)) return;
    boost::system::error_code ignored;
    const auto remote = socket.remote_endpoint(ignored);
    log::warn("http_connection_refused",
              {{"client", remote.address().to_string() + ":" + std::to_string(remote.port())},
               {"reason", reason},
               {"refused_since_last_line", refusals_unlogged_}});
    refusals_unlogged_ = 0;
    last_refusal_log_ = now;
}

}  // namespace castline::daemon
