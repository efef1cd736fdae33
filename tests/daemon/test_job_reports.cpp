#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/utf8.hpp"
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

TEST_CASE("texts cut to their limits stay UTF-8: a character is left out, never split") {
    // 4095 ASCII bytes then 'ä' (2 bytes): a byte cut at 4096 would keep half of the 'ä'.
    const std::string error = std::string(4095, 'e') + "\xc3\xa4" + "tail";
    const auto r = parse_result_report(
        nlohmann::json{{"status", "failed"}, {"stage", "restore"}, {"error", error}}.dump());
    REQUIRE(std::holds_alternative<JobResult>(r));
    CHECK(std::get<JobResult>(r).error == std::string(4095, 'e'));
    CHECK(castline::is_valid_utf8(std::get<JobResult>(r).error));

    // The echoed item is cut at 40 bytes: 39 ASCII then a 3-byte character.
    const std::string item = std::string(39, 'i') + "\xe2\x82\xac";
    const auto e =
        error_of<JobProgress>(parse_progress_report, nlohmann::json{{"item", item}}.dump());
    CHECK(e.starts_with("item: '" + std::string(39, 'i') + "' is not one of"));
    CHECK(castline::is_valid_utf8(e));
}
