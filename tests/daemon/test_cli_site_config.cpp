// Which site config the castline command line reads: --config, $CASTLINE_CONFIG, the default path.
#include "daemon/cli_site_config.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

#include "tests/config/config_test_support.hpp"

using namespace castline;
using config::testing::TempDir;

TEST_CASE("--config wins, then CASTLINE_CONFIG, then the default path when it exists") {
    TempDir dir;
    const auto fallback = dir.write("default.yaml", "version: 1\n");
    const auto from_flag = cli::choose_site_config(std::string("flag.yaml"), "env.yaml", fallback);
    REQUIRE(from_flag);
    CHECK(from_flag->path == "flag.yaml");
    CHECK(from_flag->describe() == "flag.yaml (--config)");
    const auto from_env = cli::choose_site_config(std::nullopt, "env.yaml", fallback);
    REQUIRE(from_env);
    CHECK(from_env->describe() == "env.yaml (CASTLINE_CONFIG)");
    const auto from_default = cli::choose_site_config(std::nullopt, "", fallback);
    REQUIRE(from_default);
    CHECK(from_default->describe() == fallback.string() + " (the default path)");
    CHECK_FALSE(cli::choose_site_config(std::nullopt, nullptr, dir.path() / "none.yaml"));
}

TEST_CASE("the API port comes from the chosen config, and the endpoint says where from") {
    TempDir dir;
    const auto site = dir.write("site.yaml",
                                "version: 1\nserver: {interfaces: [lo], api_port: 18123}\n"
                                "dhcp: {mode: off}\nboot: {root: ./boot}\n");
    ::setenv(cli::site_config_variable, site.c_str(), 1);
    cli::ApiEndpoint endpoint;
    CHECK_FALSE(cli::resolve_api_endpoint(std::nullopt, std::nullopt, endpoint));
    CHECK(endpoint.port == 18123);
    CHECK(endpoint.origin == "server.api_port of " + site.string() + " (CASTLINE_CONFIG)");
    ::unsetenv(cli::site_config_variable);

    cli::ApiEndpoint given;
    CHECK_FALSE(cli::resolve_api_endpoint(std::string("127.0.0.1:9"), std::nullopt, given));
    CHECK(given.port == 9);
    CHECK(given.origin == "--api");
    // A refused connection names the address and where it came from.
    try {
        cli::api_request(given, "GET", "/api/v1/rollouts");
        FAIL("castlined answered on port 9");
    } catch (const cli::ApiError& e) {
        CHECK(std::string(e.what()).find("127.0.0.1:9 (from --api)") != std::string::npos);
    }
}
