#include <doctest/doctest.h>

#include "daemon/api_json.hpp"

using namespace castline::daemon;
using nlohmann::json;

TEST_CASE("JSON answers carry text that is not UTF-8 as U+FFFD") {
    const HttpRequest request{http::verb::get, "/api/v1/jobs/x", 11};
    const auto response =
        error_response(request, http::status::not_found, "no chunk 1\xd8\xff in this image");
    CHECK(response.result() == http::status::not_found);
    CHECK(response[http::field::content_type] == "application/json");
    CHECK(json::parse(response.body())["error"] ==
          "no chunk 1\xef\xbf\xbd\xef\xbf\xbd in this image");
}

TEST_CASE("query values") {
    CHECK(query_value("/api/v1/history?host=ws01&limit=5", "limit") == "5");
    CHECK(query_value("/api/v1/history?hostname=x&host=ws01", "host") == "ws01");
    CHECK(query_value("/api/v1/history", "host").empty());
}
