// Jobs as castlined serves them (docs/jobs.md): a token only for the host's own address and
// bound to it, 403 for every other address on every job endpoint, older jobs revoked by a
// reimage, reimage by name or MAC and refused for an unusable image, and an image validated off
// the io thread while the imager is told to ask again.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "common/http_client.hpp"
#include "config/loader.hpp"
#include "daemon/api_json.hpp"
#include "daemon/http_server.hpp"
#include "daemon/job_service.hpp"
#include "daemon/state_store.hpp"
#include "imagecast/job_client.hpp"
#include "imager/capture.hpp"
#include "tests/imager/imager_test_support.hpp"

using namespace castline;
using namespace castline::daemon;
using castline::imager::testing::TempDir;
using nlohmann::json;

namespace {

const MacAddress ws01_mac{{0x52, 0x54, 0, 0, 0x40, 1}};
const Ipv4Address ws01_ip{0x7f000001};   // 127.0.0.1: the real-socket test connects from it
const Ipv4Address intruder{0x7f000002};  // 127.0.0.2

// A small image; encrypted with `kdf_iterations` so that validating it takes a while.
void capture_image(const TempDir& dir, std::uint32_t kdf_iterations) {
    imager::testing::write_file(dir / "disk", imager::testing::text_bytes(1 << 20));
    imager::CaptureOptions o;
    o.source = dir / "disk";
    o.output = dir / "base.cimg";
    o.raw = true;
    o.level = 1;
    o.password = "image secret";
    o.kdf_iterations = kdf_iterations;
    o.chunker = {64 * 1024, 256 * 1024, 1024 * 1024};
    imager::capture(o);
    std::ofstream(dir / "image.pw") << "image secret\n";
}

config::SiteConfig load(const TempDir& dir) {
    std::ofstream(dir / "site.yaml")
        << "version: 1\n"
           "server: {interfaces: [lo], data_dir: ./state, api_port: 0}\n"
           "boot: {root: ./boot, tftp_port: 0, http_port: 8080}\n"
           "dhcp: {mode: off}\n"
           "hosts:\n"
           "  - {mac: \"52:54:00:00:40:01\", name: ws01, group: lab}\n"
           "groups:\n"
           "  lab: {action: image, image: base}\n"
           "images: {base: {path: ./base.cimg, password_file: ./image.pw}}\n";
    auto result = config::load_file(dir / "site.yaml");
    REQUIRE(result.config);
    return *result.config;
}

struct Jobs {
    TempDir dir;
    boost::asio::io_context io;
    config::SiteConfig config;
    std::optional<StateStore> store;
    std::optional<RolloutManager> rollouts;
    std::optional<JobService> jobs;
    HttpRouter boot, api;
    std::optional<Ipv4Address> dhcp_address = ws01_ip;  // what DHCP shows for ws01

    explicit Jobs(std::uint32_t kdf_iterations = 1000) {
        capture_image(dir, kdf_iterations);
        config = load(dir);
        store.emplace(dir / "state");
        rollouts.emplace(
            io, *store, [](const MacAddress&) {},
            [] { return std::chrono::floor<std::chrono::seconds>(Clock::now()); });
        rollouts->apply(config);
        jobs.emplace(
            store->database(), *rollouts, [this]() -> const config::SiteConfig& { return config; },
            [this](const MacAddress& mac) -> std::optional<Ipv4Address> {
                return mac == ws01_mac ? dhcp_address : std::nullopt;
            });
        jobs->register_boot_routes(boot);
        jobs->register_api_routes(api);
    }

    HttpStringResponse call(HttpRouter& router, http::verb method, const std::string& target,
                            Ipv4Address from, std::string body = {}) {
        HttpRequest request{method, target, 11};
        request.body() = std::move(body);
        return std::get<HttpStringResponse>(router.route(request, {from, 40000}));
    }
    std::string reimage(const std::string& host) {
        const auto r = call(api, http::verb::post, "/api/v1/hosts/" + host + "/reimage", ws01_ip);
        REQUIRE(r.result() == http::status::created);
        return json::parse(r.body())["token"].get<std::string>();
    }
    // Fetches the job until the image validation is done.
    HttpStringResponse fetch(const std::string& token, Ipv4Address from) {
        for (int i = 0; i < 600; ++i) {
            auto r = call(boot, http::verb::get, "/api/v1/jobs/" + token, from);
            if (r.result() != http::status::service_unavailable) return r;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL("the image validation did not finish");
        return {};
    }
};

const std::string done_report = R"({"status": "done"})";

}  // namespace

TEST_CASE("the token goes to the host's own address only, and the job is bound to it") {
    Jobs t;
    const auto& host = t.config.hosts[0];

    const auto stranger = t.jobs->for_boot(host, intruder);
    REQUIRE(stranger);
    CHECK(stranger->done);  // the stranger's script boots the local disk
    CHECK(stranger->token.empty());
    CHECK(JobStore(t.store->database()).list("ws01").empty());  // and made no job

    const auto own = t.jobs->for_boot(host, ws01_ip);
    REQUIRE(own);
    CHECK_FALSE(own->done);
    REQUIRE(own->token.size() == 32);
    CHECK(JobStore(t.store->database()).find(own->token)->client == ws01_ip);

    // Every job endpoint refuses another address, without telling it about the job.
    for (const auto& [method, target, body] :
         {std::tuple{http::verb::get, std::string(""), std::string()},
          std::tuple{http::verb::get, std::string("/image"), std::string()},
          std::tuple{http::verb::get, std::string("/image/chunks/0"), std::string()},
          std::tuple{http::verb::post, std::string("/progress"),
                     std::string(R"({"item": "restore", "percent": 1})")},
          std::tuple{http::verb::post, std::string("/result"), done_report}}) {
        const auto r =
            t.call(t.boot, method, "/api/v1/jobs/" + own->token + target, intruder, body);
        INFO(target);
        CHECK(r.result() == http::status::forbidden);
        CHECK(r.body().find("ws01") == std::string::npos);
    }
    CHECK(JobStore(t.store->database()).find(own->token)->state == JobState::pending);

    // The binding holds even when DHCP later shows the MAC elsewhere (a spoofed sighting).
    t.dhcp_address = intruder;
    CHECK(t.call(t.boot, http::verb::get, "/api/v1/jobs/" + own->token, intruder).result() ==
          http::status::forbidden);
    CHECK(t.jobs->for_boot(host, intruder)->token.empty());
    t.dhcp_address = ws01_ip;

    const auto job = t.fetch(own->token, ws01_ip);
    CHECK(job.result() == http::status::ok);
    CHECK(json::parse(job.body())["image_password"] == "image secret");
    CHECK(t.call(t.boot, http::verb::post, "/api/v1/jobs/" + own->token + "/result", ws01_ip,
                 done_report)
              .result() == http::status::no_content);
}

TEST_CASE("no address known for the host: no token for anyone") {
    Jobs t;
    t.dhcp_address.reset();
    const auto boot = t.jobs->for_boot(t.config.hosts[0], ws01_ip);
    REQUIRE(boot);
    CHECK(boot->done);
    CHECK(boot->token.empty());
    // A job made by the operator is not usable either until an address is known.
    const auto token = t.reimage("ws01");
    CHECK(t.call(t.boot, http::verb::get, "/api/v1/jobs/" + token, ws01_ip).result() ==
          http::status::forbidden);
    // hosts[].address names it.
    t.config.hosts[0].address = ws01_ip;
    CHECK(t.fetch(token, ws01_ip).result() == http::status::ok);
}

TEST_CASE("a reimage revokes the host's earlier job: its token is gone and its result refused") {
    Jobs t;
    const auto first = t.jobs->for_boot(t.config.hosts[0], ws01_ip)->token;
    REQUIRE(t.fetch(first, ws01_ip).result() == http::status::ok);
    const auto second = t.reimage("ws01");
    CHECK(second != first);
    CHECK(JobStore(t.store->database()).find(first)->state == JobState::revoked);
    CHECK(t.call(t.boot, http::verb::get, "/api/v1/jobs/" + first, ws01_ip).result() ==
          http::status::gone);
    CHECK(
        t.call(t.boot, http::verb::post, "/api/v1/jobs/" + first + "/result", ws01_ip, done_report)
            .result() == http::status::conflict);
    CHECK(t.call(t.boot, http::verb::post, "/api/v1/jobs/" + first + "/progress", ws01_ip,
                 R"({"item": "restore", "percent": 5})")
              .result() == http::status::conflict);
    // The host's next boot gets the new job.
    CHECK(t.jobs->for_boot(t.config.hosts[0], ws01_ip)->token == second);
}

TEST_CASE("reimage takes a name or a MAC and refuses a host whose image cannot be used") {
    Jobs t;
    CHECK(t.reimage("52:54:00:00:40:01").size() == 32);
    CHECK(t.reimage("52-54-00-00-40-01").size() == 32);

    auto r = t.call(t.api, http::verb::post, "/api/v1/hosts/nosuch/reimage", ws01_ip);
    CHECK(r.result() == http::status::not_found);
    CHECK(json::parse(r.body())["error"].get<std::string>().find("nosuch") != std::string::npos);

    std::filesystem::rename(t.dir / "base.cimg", t.dir / "moved.cimg");
    r = t.call(t.api, http::verb::post, "/api/v1/hosts/ws01/reimage", ws01_ip);
    CHECK(r.result() == http::status::unprocessable_entity);
    const auto error = json::parse(r.body())["error"].get<std::string>();
    CHECK(error.find("base.cimg") != std::string::npos);
    CHECK(error.find("No such file") != std::string::npos);
    CHECK(error.starts_with("ws01: "));
}

TEST_CASE("reimage refuses a host whose image failed validation, with the reason") {
    Jobs t;
    {
        // Damage the middle of the image, inside its chunk data.
        std::fstream f(t.dir / "base.cimg", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(t.dir / "base.cimg") / 2));
        f.write("DAMAGED", 7);
    }
    const auto token = t.reimage("ws01");  // not checked yet: accepted, checked now
    CHECK(t.fetch(token, ws01_ip).result() == http::status::unprocessable_entity);
    const auto r = t.call(t.api, http::verb::post, "/api/v1/hosts/ws01/reimage", ws01_ip);
    CHECK(r.result() == http::status::unprocessable_entity);
    const auto error = json::parse(r.body())["error"].get<std::string>();
    CHECK(error.starts_with("ws01: image base cannot be used: "));
}

TEST_CASE("old jobs are pruned with the history; each host's latest stays") {
    Jobs t;
    const auto first = t.reimage("ws01");
    const auto second = t.reimage("ws01");
    JobStore jobs(t.store->database());
    const auto future = std::chrono::duration_cast<std::chrono::seconds>(
                            Clock::now().time_since_epoch() + std::chrono::hours(1))
                            .count();
    CHECK(jobs.prune(future) == 1);
    CHECK_FALSE(jobs.find(first));
    CHECK(jobs.find(second));
}

TEST_CASE("the image is validated off the io thread: 503 Retry-After meanwhile, then the job") {
    // Enough PBKDF2 rounds that validating (which derives the key twice) takes seconds.
    Jobs t(3'000'000);
    auto router = std::make_shared<HttpRouter>();
    t.jobs->register_boot_routes(*router);
    router->add(http::verb::get, "/ping",
                [](const HttpRequest& request, const HttpClient&) -> HttpResponse {
                    return http_text_response(request, http::status::ok, "pong\n");
                });
    boost::asio::io_context io;
    HttpServer server(io, {.address = ws01_ip, .port = 0}, router);
    std::thread io_thread([&io] { io.run(); });
    const auto port = std::to_string(server.port());
    const auto token = t.reimage("ws01");  // starts the validation

    const auto started = std::chrono::steady_clock::now();
    const auto waiting = http_request("127.0.0.1", port, "GET", "/api/v1/jobs/" + token, "",
                                      std::chrono::seconds(60), "test");
    CHECK(waiting.status == 503);
    CHECK(waiting.retry_after == "2");
    CHECK(json::parse(waiting.body)["error"].get<std::string>().find("being validated") !=
          std::string::npos);
    const auto ping =
        http_request("127.0.0.1", port, "GET", "/ping", "", std::chrono::seconds(60), "test");
    CHECK(ping.status == 200);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    // Still validating after the other request was answered.
    CHECK(http_request("127.0.0.1", port, "GET", "/api/v1/jobs/" + token, "",
                       std::chrono::seconds(60), "test")
              .status == 503);

    // castline-imager's client waits as told and gets the job once the image passed.
    imagecast::JobClient client("127.0.0.1:" + port, token);
    const auto job = client.fetch(std::chrono::seconds(5), std::chrono::seconds(120));
    CHECK(job["host"] == "ws01");
    CHECK(job["image_min_bytes"].get<std::uint64_t>() > 0);
    CHECK(std::chrono::steady_clock::now() - started > std::chrono::seconds(1));

    io.stop();
    io_thread.join();
}

TEST_CASE("the job list takes a host name or a MAC in any spelling") {
    Jobs t;
    t.reimage("ws01");
    for (const auto* host : {"ws01", "52:54:00:00:40:01", "52-54-00-00-40-01"}) {
        const auto r =
            t.call(t.api, http::verb::get, std::string("/api/v1/jobs?host=") + host, ws01_ip);
        INFO(host);
        CHECK(json::parse(r.body()).size() == 1);
    }
}
