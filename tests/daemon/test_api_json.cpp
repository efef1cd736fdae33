#include <doctest/doctest.h>

#include "common/utf8.hpp"
#include "daemon/api_json.hpp"

using namespace castline::daemon;

TEST_CASE("JSON answers carry text that is not UTF-8 with each bad byte replaced") {
    // A password file's bytes, a request path, a report text from before truncation was
    // character-safe: none of them may stop the answer.
    const nlohmann::json doc = {{"error", std::string("no host named ab\xff\xc3")},
                                {"stage", std::string("restore \xe2\x82")}};
    std::string text;
    REQUIRE_NOTHROW(text = json_text(doc));
    CHECK(castline::is_valid_utf8(text));
    CHECK(text.find("ab\xef\xbf\xbd\xef\xbf\xbd") != std::string::npos);  // U+FFFD twice
    CHECK(nlohmann::json::parse(text)["stage"] == "restore \xef\xbf\xbd");

    HttpRequest request{http::verb::get, "/api/v1/hosts/x", 11};
    HttpStringResponse response;
    REQUIRE_NOTHROW(response = error_response(request, http::status::not_found,
                                              std::string("no host named \x80")));
    CHECK(response.result() == http::status::not_found);
    CHECK(nlohmann::json::parse(response.body())["error"] == "no host named \xef\xbf\xbd");
}

TEST_CASE("query values") {
    CHECK(query_value("/api/v1/history?host=ws01&limit=5", "limit") == "5");
    CHECK(query_value("/api/v1/history?hostname=x&host=ws01", "host") == "ws01");
    CHECK(query_value("/api/v1/history", "host").empty());
}
