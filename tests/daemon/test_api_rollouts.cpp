#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "daemon/api_rollouts.hpp"

using namespace castline::daemon;
using namespace std::chrono_literals;
using castline::MacAddress;
using nlohmann::json;

namespace {
const TimePoint t0{std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}};

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char pattern[] = "/tmp/castline-api.XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

castline::config::SiteConfig site() {
    castline::config::SiteConfig s;
    for (std::uint8_t i = 1; i <= 2; ++i) {
        castline::config::Host h;
        h.mac = MacAddress{{0x52, 0x54, 0, 0, 0, i}};
        h.name = "ws" + std::to_string(i);
        h.group = "lab";
        s.hosts.push_back(h);
    }
    castline::config::Rollout r;
    r.name = "lab";
    r.groups = {"lab"};
    s.rollouts["lab"] = r;
    return s;
}

struct Api {
    TempDir dir;
    boost::asio::io_context io;
    StateStore store{dir.path};
    std::vector<MacAddress> woken;
    RolloutManager manager{io, store, [this](const MacAddress& m) { woken.push_back(m); },
                           [] { return t0; }};
    HttpRouter router;
    Api() {
        manager.apply(site());
        register_rollout_api(router, manager, store);
    }
    std::pair<http::status, json> call(http::verb method, std::string target) {
        HttpRequest request{method, target, 11};
        auto response = std::get<HttpStringResponse>(router.route(request, {}));
        return {response.result(), json::parse(response.body())};
    }
};
}  // namespace

TEST_CASE("rollout API: list, start, status, conflict, cancel, history") {
    Api api;
    auto [status, body] = api.call(http::verb::get, "/api/v1/rollouts");
    CHECK(status == http::status::ok);
    CHECK(body["configured"] == json::array({"lab"}));
    CHECK(body["running"].empty());

    std::tie(status, body) = api.call(http::verb::get, "/api/v1/rollouts/lab");
    CHECK(body["state"] == "never run");

    std::tie(status, body) = api.call(http::verb::post, "/api/v1/rollouts/lab/start");
    CHECK(status == http::status::created);
    CHECK(body["state"] == "running");
    CHECK(body["counts"]["woken"] == 2);
    CHECK(body["hosts"][1]["name"] == "ws2");
    CHECK(body["hosts"][1]["woken_at"] == "2026-11-22T00:00:00Z");
    CHECK(api.woken.size() == 2);

    std::tie(status, body) = api.call(http::verb::post, "/api/v1/rollouts/lab/start");
    CHECK(status == http::status::conflict);
    CHECK(body["error"] == "rollout 'lab' is already running");

    std::tie(status, body) = api.call(http::verb::post, "/api/v1/rollouts/lab/cancel");
    CHECK(status == http::status::ok);
    CHECK(body["state"] == "cancelled");

    std::tie(status, body) = api.call(http::verb::get, "/api/v1/history?host=ws1&limit=5");
    CHECK(status == http::status::ok);
    REQUIRE(body["history"].size() == 1);
    CHECK(body["history"][0]["state"] == "skipped");
    CHECK(body["history"][0]["rollout"] == "lab");
}

TEST_CASE("rollout API: unknown names and bad input are clear errors") {
    Api api;
    auto [status, body] = api.call(http::verb::post, "/api/v1/rollouts/nosuch/start");
    CHECK(status == http::status::not_found);
    CHECK(body["error"] == "no rollout named 'nosuch' in the config");
    std::tie(status, body) = api.call(http::verb::get, "/api/v1/rollouts/nosuch");
    CHECK(status == http::status::not_found);
    std::tie(status, body) = api.call(http::verb::post, "/api/v1/rollouts/lab/cancel");
    CHECK(status == http::status::not_found);
    CHECK(body["error"] == "rollout 'lab' is not running");
    std::tie(status, body) = api.call(http::verb::post, "/api/v1/rollouts/lab/explode");
    CHECK(status == http::status::not_found);
    std::tie(status, body) = api.call(http::verb::get, "/api/v1/history?limit=abc");
    CHECK(status == http::status::bad_request);
    CHECK(body["error"] == "limit 'abc' is not a number from 1 to 10000");
}

TEST_CASE("history of an unknown host is an error; a known host without results is empty") {
    Api api;
    HttpRequest request{http::verb::get, "/api/v1/history?host=nosuch", 11};
    const auto unknown = std::get<HttpStringResponse>(api.router.route(request, {}));
    CHECK(unknown.result() == http::status::not_found);
    CHECK(json::parse(unknown.body())["error"].get<std::string>().find("nosuch") !=
          std::string::npos);
    auto [status, body] = api.call(http::verb::get, "/api/v1/history?host=ws1");
    CHECK(status == http::status::ok);
    CHECK(body["history"].empty());
    std::tie(status, body) = api.call(http::verb::get, "/api/v1/history?host=52:54:00:00:00:02");
    CHECK(status == http::status::ok);
}

TEST_CASE("rollout API: a name that is not UTF-8 is answered, with U+FFFD in its place") {
    Api api;
    auto [status, body] = api.call(http::verb::post, "/api/v1/rollouts/ni\xd8ht/start");
    CHECK(status == http::status::not_found);
    CHECK(body["error"] == "no rollout named 'ni\xef\xbf\xbdht' in the config");
}
