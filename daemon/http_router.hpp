#pragma once
// Routes HTTP requests by method and path prefix to handlers that other parts register:
// boot files now, the API and dashboard later.
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "common/ipv4_address.hpp"
#include "tftp/boot_path.hpp"

namespace castline::daemon {

namespace http = boost::beast::http;

using HttpRequest = http::request<http::string_body>;
using HttpStringResponse = http::response<http::string_body>;

// A file (or part of one) sent with sendfile after the header; the header carries the status,
// Content-Length and any other fields.
struct HttpFileResponse {
    http::response<http::empty_body> header;
    tftp::ConfinedFile file;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

using HttpResponse = std::variant<HttpStringResponse, HttpFileResponse>;

struct HttpClient {
    Ipv4Address address;
    std::uint16_t port = 0;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&, const HttpClient&)>;

// A plain response with a text body and the request's version and keep-alive.
HttpStringResponse http_text_response(const HttpRequest& request, http::status status,
                                      std::string body, std::string content_type = "text/plain");

class HttpRouter {
  public:
    // `prefix` is matched against the path (without query) from its start; the longest
    // matching prefix wins. A GET route also answers HEAD.
    void add(http::verb method, std::string prefix, HttpHandler handler);

    // 404 when no prefix matches, 405 when one matches but not for this method.
    HttpResponse route(const HttpRequest& request, const HttpClient& client) const;

  private:
    struct Route {
        http::verb method;
        std::string prefix;
        HttpHandler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace castline::daemon
