#include <doctest/doctest.h>

#include "daemon/http_log.hpp"

using castline::daemon::loggable_target;

TEST_CASE("job tokens in logged request targets are cut to 8 characters") {
    const std::string token = "0123abcd4567ef890123abcd4567ef89";
    CHECK(loggable_target("/api/v1/jobs/" + token) == "/api/v1/jobs/0123abcd...");
    CHECK(loggable_target("/api/v1/jobs/" + token + "/progress") ==
          "/api/v1/jobs/0123abcd.../progress");
    CHECK(loggable_target("/api/v1/jobs/" + token + "/image/chunks/7") ==
          "/api/v1/jobs/0123abcd.../image/chunks/7");
    CHECK(loggable_target("/api/v1/jobs/" + token + "?x=1") == "/api/v1/jobs/0123abcd...?x=1");
    CHECK(loggable_target("/api/v1/jobs/" + token + "/jobs/" + token) ==
          "/api/v1/jobs/0123abcd.../jobs/0123abcd...");
    // Nothing to hide: short segments, other paths.
    CHECK(loggable_target("/api/v1/jobs/abc") == "/api/v1/jobs/abc");
    CHECK(loggable_target("/api/v1/jobs?host=pc1") == "/api/v1/jobs?host=pc1");
    CHECK(loggable_target("/ipxe/undionly.kpxe") == "/ipxe/undionly.kpxe");
    CHECK(loggable_target("") == "");
}
