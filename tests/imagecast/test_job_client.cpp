#include <doctest/doctest.h>

#include "imagecast/job_client.hpp"

using namespace castline::imagecast;

TEST_CASE("a report whose text is not UTF-8 is sent with U+FFFD in place of each bad byte") {
    const nlohmann::json result = {{"state", "failed"},
                                   {"error", std::string("cannot write to disk WD\xff\xc3 model")}};
    std::string body;
    REQUIRE_NOTHROW(body = report_body(result));
    const auto parsed = nlohmann::json::parse(body);
    CHECK(parsed["state"] == "failed");
    CHECK(parsed["error"] == "cannot write to disk WD\xef\xbf\xbd\xef\xbf\xbd model");
}
