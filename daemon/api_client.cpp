#include "daemon/api_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <charconv>

namespace castline::cli {

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

ApiEndpoint ApiEndpoint::parse(const std::string& text) {
    ApiEndpoint endpoint;
    const auto colon = text.rfind(':');
    const std::string port_text = colon == std::string::npos ? text : text.substr(colon + 1);
    if (colon != std::string::npos) endpoint.host = text.substr(0, colon);
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
        port == 0 || port > 65535 || endpoint.host.empty())
        throw ApiError("'" + text + "' is not an API address, expected HOST:PORT or PORT");
    endpoint.port = static_cast<std::uint16_t>(port);
    return endpoint;
}

ApiResponse api_request(const ApiEndpoint& endpoint, const std::string& method,
                        const std::string& target) {
    const std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
    try {
        boost::asio::io_context io;
        tcp::resolver resolver(io);
        beast::tcp_stream stream(io);
        stream.expires_after(std::chrono::seconds(10));
        stream.connect(resolver.resolve(endpoint.host, std::to_string(endpoint.port)));
        http::request<http::empty_body> request{http::string_to_verb(method), target, 11};
        request.set(http::field::host, where);
        request.set(http::field::user_agent, "castline");
        http::write(stream, request);
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        return {static_cast<int>(response.result_int()), response.body()};
    } catch (const boost::system::system_error& e) {
        throw ApiError("cannot reach castlined's API at " + where + ": " + e.code().message() +
                       " (is castlined running? see server.api_port)");
    }
}

}  // namespace castline::cli
