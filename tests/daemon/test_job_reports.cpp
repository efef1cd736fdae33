#include <doctest/doctest.h>

#include "daemon/job_reports.hpp"

using namespace castline::daemon;

namespace {
template <typename T, typename Parse>
std::string error_of(Parse parse, std::string_view body) {
    const auto r = parse(body);
    const auto* e = std::get_if<std::string>(&r);
    return e ? *e : "";
}
}  // namespace

TEST_CASE("a progress report as docs/jobs.md shows it") {
    const auto r = parse_progress_report(
        R"({"item": "restore", "percent": 42.5, "done_bytes": 1048576, "total_bytes": 2468000,
            "elapsed_s": 12, "remaining_s": 16, "rate_bytes_per_s": 87381})");
    REQUIRE(std::holds_alternative<JobProgress>(r));
    const auto& p = std::get<JobProgress>(r);
    CHECK(p.item == "restore");
    CHECK(p.percent == 42.5);
    CHECK(p.done_bytes == 1048576);
    CHECK(p.total_bytes == 2468000);
    CHECK(p.remaining_s == 16);
    CHECK(p.rate_bytes_per_s == 87381);
}

TEST_CASE("bad progress reports name the field") {
    const auto e = [](std::string_view body) {
        return error_of<JobProgress>(parse_progress_report, body);
    };
    CHECK(e("not json") == "body: not JSON");
    CHECK(e("[1]") == "body: expected a JSON object");
    CHECK(e(R"({"percent": 1})").starts_with("item:"));
    CHECK(e(R"({"item": "dance"})").starts_with("item: 'dance'"));
    CHECK(e(R"({"item": "restore", "percent": 101})").starts_with("percent:"));
    CHECK(e(R"({"item": "restore", "done_bytes": -1})").starts_with("done_bytes:"));
    CHECK(e(R"({"item": "restore", "total_bytes": "many"})").starts_with("total_bytes:"));
}

TEST_CASE("results: done, failed with its error, and what is refused") {
    const auto done = parse_result_report(R"({"status": "done"})");
    REQUIRE(std::holds_alternative<JobResult>(done));
    CHECK(std::get<JobResult>(done).state == JobState::done);
    // What the initramfs posts on a fatal error (bootmedia/init.sh).
    const auto failed = parse_result_report(
        R"({"status":"failed","stage":"network","error":"no DHCP answer on any NIC"})");
    REQUIRE(std::holds_alternative<JobResult>(failed));
    CHECK(std::get<JobResult>(failed).stage == "network");
    CHECK(std::get<JobResult>(failed).error == "no DHCP answer on any NIC");

    const auto e = [](std::string_view body) {
        return error_of<JobResult>(parse_result_report, body);
    };
    CHECK(e(R"({"status": "maybe"})").starts_with("status:"));
    CHECK(e(R"({"status": "failed"})").starts_with("error:"));
    CHECK(e(R"({"status": "failed", "error": 5})").starts_with("error:"));
}
