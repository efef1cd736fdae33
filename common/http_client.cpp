#include "common/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace castline {

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

HttpAnswer http_request(const std::string& host, const std::string& port, const std::string& method,
                        const std::string& target, const std::string& body,
                        std::chrono::seconds timeout, const std::string& user_agent) {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, host + ":" + port);
    request.set(http::field::user_agent, user_agent);
    if (!body.empty()) request.set(http::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return {static_cast<int>(response.result_int()), response.body()};
}

}  // namespace castline
