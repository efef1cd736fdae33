#include "daemon/http_router.hpp"

namespace castline::daemon {

HttpStringResponse http_text_response(const HttpRequest& request, http::status status,
                                      std::string body, std::string content_type) {
    HttpStringResponse response{status, request.version()};
    response.set(http::field::server, "castline");
    response.set(http::field::content_type, content_type);
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

void HttpRouter::add(http::verb method, std::string prefix, HttpHandler handler) {
    routes_.push_back({method, std::move(prefix), std::move(handler)});
}

HttpResponse HttpRouter::route(const HttpRequest& request, const HttpClient& client) const {
    std::string_view target = request.target();
    target = target.substr(0, target.find('?'));
    const auto method = request.method();
    const Route* best = nullptr;
    bool path_matched = false;
    for (const auto& route : routes_) {
        if (!target.starts_with(route.prefix)) continue;
        path_matched = true;
        const bool method_ok = route.method == method ||
                               (route.method == http::verb::get && method == http::verb::head);
        if (method_ok && (!best || route.prefix.size() > best->prefix.size())) best = &route;
    }
    if (best) return best->handler(request, client);
    if (path_matched) {
        auto response = http_text_response(request, http::status::method_not_allowed,
                                           "method not allowed\n");
        return response;
    }
    return http_text_response(request, http::status::not_found, "not found\n");
}

}  // namespace castline::daemon
