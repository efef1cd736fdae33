#include <doctest/doctest.h>

#include "imagecast/job_document.hpp"
#include "imager/errors.hpp"

using namespace castline;
using namespace castline::imagecast;
using nlohmann::json;

namespace {
json session_job() {
    return json::parse(R"({
      "token": "9f0c", "host": "ws01", "mac": "52:54:00:00:00:01", "image": "base",
      "image_password": null,
      "restore": {"method": "session", "session": "night", "server": "198.18.0.1",
                  "resolver_port": 31600, "password": "join"},
      "image_min_bytes": 2147483648, "disk": {"rule": "only-fixed"}, "verify": false,
      "postconfig": null, "power": "poweroff"})");
}

std::string refusal(const json& job) {
    try {
        parse_job_document(job);
        (void)job_disk_rule(job);
    } catch (const imager::ImagerError& e) {
        CHECK(e.code == imager::ExitCode::bad_usage);
        return e.what();
    }
    return "accepted";
}
}  // namespace

TEST_CASE("job document: a session job as castlined writes it") {
    const auto doc = parse_job_document(session_job());
    CHECK(doc.host == "ws01");
    CHECK(doc.mac == *MacAddress::parse("52:54:00:00:00:01"));
    CHECK(doc.image == "base");
    CHECK(doc.method == "session");
    CHECK(doc.session == "night");
    CHECK(doc.server == "198.18.0.1");
    CHECK(doc.resolver_port == 31600);
    CHECK(doc.session_password == "join");
    CHECK_FALSE(doc.image_password);
    CHECK(doc.power == "poweroff");
    CHECK_FALSE(doc.verify);
    CHECK(doc.postconfig.is_null());
    const auto rule = job_disk_rule(session_job());
    CHECK(rule.only_fixed());
    CHECK(rule.needed_bytes == 2147483648u);
}

TEST_CASE("job document: defaults and a unicast job") {
    auto job = session_job();
    job["restore"] = {{"method", "unicast"},
                      {"url", "http://198.18.0.1:8080/api/v1/jobs/9f0c/image"}};
    job.erase("verify");
    job.erase("power");
    job["image_password"] = "secret";
    const auto doc = parse_job_document(job);
    CHECK(doc.url == "http://198.18.0.1:8080/api/v1/jobs/9f0c/image");
    CHECK(doc.verify);
    CHECK(doc.power == "reboot");
    CHECK(doc.image_password == "secret");
}

TEST_CASE("job document: each bad field is refused by its path") {
    auto job = session_job();
    job["verify"] = "yes";
    CHECK(refusal(job) == "job: verify: expected true or false");
    job = session_job();
    job["restore"]["resolver_port"] = 70000;  // would wrap to 4464 as a 16-bit number
    CHECK(refusal(job) == "job: restore.resolver_port: expected a port number (1-65535)");
    job = session_job();
    job.erase("restore");
    CHECK(refusal(job) == "job: restore: expected an object");
    job = session_job();
    job["restore"]["session"] = 7;
    CHECK(refusal(job) == "job: restore.session: expected text");
    job = session_job();
    job["mac"] = "52:54:00";
    CHECK(refusal(job) == "job: mac: not a MAC");
    job = session_job();
    job["power"] = "explode";
    CHECK(refusal(job) == "job: power: 'explode' is not reboot, poweroff or stay");
    job = session_job();
    job["disk"] = {{"rule", "match"}};
    CHECK(refusal(job) == "job: disk: rule match names no criterion");
    job = session_job();
    job["disk"] = "only-fixed";
    CHECK(refusal(job) == "job: disk: expected an object");
    job = session_job();
    job["image_min_bytes"] = -1;
    CHECK(refusal(job) == "job: image_min_bytes: expected a size in bytes");
    CHECK(refusal(json::array()) == "job: document: expected an object");
}
