#include "common/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace castline {

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

struct HttpConnection::Stream {
    boost::asio::io_context io;
    beast::tcp_stream socket{io};
    beast::flat_buffer buffer;
};

HttpConnection::HttpConnection(std::string host, std::string port, std::string user_agent,
                               std::size_t max_body)
    : host_(std::move(host)),
      port_(std::move(port)),
      user_agent_(std::move(user_agent)),
      max_body_(max_body) {}

HttpConnection::~HttpConnection() {
    if (!stream_) return;
    beast::error_code ignored;
    stream_->socket.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

HttpAnswer HttpConnection::request(const std::string& method, const std::string& target,
                                   const std::string& body, std::chrono::seconds timeout) {
    try {
        if (!stream_) {
            stream_ = std::make_unique<Stream>();
            tcp::resolver resolver(stream_->io);
            stream_->socket.expires_after(timeout);
            stream_->socket.connect(resolver.resolve(host_, port_));
        }
        stream_->socket.expires_after(timeout);
        http::request<http::string_body> request{http::string_to_verb(method), target, 11};
        request.set(http::field::host, host_ + ":" + port_);
        request.set(http::field::user_agent, user_agent_);
        request.keep_alive(true);
        if (!body.empty()) request.set(http::field::content_type, "application/json");
        request.body() = body;
        request.prepare_payload();
        http::write(stream_->socket, request);
        http::response_parser<http::string_body> parser;
        parser.body_limit(max_body_);
        http::read(stream_->socket, stream_->buffer, parser);
        auto response = parser.release();
        HttpAnswer answer{static_cast<int>(response.result_int()), std::move(response.body()),
                          std::string(response[http::field::retry_after])};
        if (!response.keep_alive()) stream_.reset();
        return answer;
    } catch (...) {
        stream_.reset();
        throw;
    }
}

HttpAnswer http_request(const std::string& host, const std::string& port, const std::string& method,
                        const std::string& target, const std::string& body,
                        std::chrono::seconds timeout, const std::string& user_agent) {
    return HttpConnection(host, port, user_agent).request(method, target, body, timeout);
}

}  // namespace castline
