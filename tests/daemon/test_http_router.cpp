#include <doctest/doctest.h>

#include "daemon/http_router.hpp"

using namespace castline::daemon;

namespace {
HttpRequest request(http::verb method, std::string target) {
    HttpRequest r{method, target, 11};
    return r;
}
std::string body_of(const HttpResponse& response) {
    return std::get<HttpStringResponse>(response).body();
}
int status_of(const HttpResponse& response) {
    return static_cast<int>(std::get<HttpStringResponse>(response).result_int());
}
HttpHandler says(std::string what) {
    return [what](const HttpRequest& r, const HttpClient&) -> HttpResponse {
        return http_text_response(r, http::status::ok, what);
    };
}
}  // namespace

TEST_CASE("longest prefix wins, GET routes answer HEAD, query strings are ignored") {
    HttpRouter router;
    router.add(http::verb::get, "/", says("files"));
    router.add(http::verb::get, "/api/", says("api"));
    router.add(http::verb::post, "/api/jobs", says("post jobs"));
    const HttpClient client{};
    CHECK(body_of(router.route(request(http::verb::get, "/x/y"), client)) == "files");
    CHECK(body_of(router.route(request(http::verb::get, "/api/hosts?x=1"), client)) == "api");
    CHECK(body_of(router.route(request(http::verb::head, "/api/hosts"), client)) == "api");
    CHECK(body_of(router.route(request(http::verb::post, "/api/jobs"), client)) == "post jobs");
}

TEST_CASE("404 without a matching prefix, 405 for a known path with another method") {
    HttpRouter router;
    router.add(http::verb::get, "/boot/", says("files"));
    const HttpClient client{};
    CHECK(status_of(router.route(request(http::verb::get, "/other"), client)) == 404);
    CHECK(status_of(router.route(request(http::verb::delete_, "/boot/x"), client)) == 405);
}
