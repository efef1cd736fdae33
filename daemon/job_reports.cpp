#include "daemon/job_reports.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "common/utf8.hpp"

namespace castline::daemon {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> items = {"find-disk", "restore", "verify", "postconfig"};
constexpr std::size_t max_text = 4096;  // an error message, not a log file

std::variant<json, std::string> object_of(std::string_view body) {
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded()) return std::string("body: not JSON");
    if (!doc.is_object()) return std::string("body: expected a JSON object");
    return doc;
}

// Reads an optional non-negative integer field; false with `error` set when it is malformed.
bool read_count(const json& doc, const char* key, std::int64_t& out, std::string& error) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return true;
    if (!it->is_number_integer() && !it->is_number_unsigned()) {
        error = std::string(key) + ": expected a whole number";
        return false;
    }
    const auto value = it->get<std::int64_t>();
    if (value < 0 && std::string_view(key) != "remaining_s") {
        error = std::string(key) + ": expected a number >= 0";
        return false;
    }
    out = value;
    return true;
}

}  // namespace

std::variant<JobProgress, std::string> parse_progress_report(std::string_view body) {
    auto parsed = object_of(body);
    if (auto* e = std::get_if<std::string>(&parsed)) return *e;
    const auto& doc = std::get<json>(parsed);
    JobProgress p;
    const auto item = doc.find("item");
    if (item == doc.end() || !item->is_string())
        return std::string("item: expected one of find-disk, restore, verify, postconfig");
    p.item = item->get<std::string>();
    if (std::find(items.begin(), items.end(), p.item) == items.end())
        return "item: '" + std::string(truncate_utf8(p.item, 40)) +
               "' is not one of find-disk, restore, verify, postconfig";
    if (const auto percent = doc.find("percent"); percent != doc.end()) {
        if (!percent->is_number() || percent->get<double>() < 0 || percent->get<double>() > 100)
            return std::string("percent: expected a number from 0 to 100");
        p.percent = percent->get<double>();
    }
    std::string error;
    if (!read_count(doc, "done_bytes", p.done_bytes, error) ||
        !read_count(doc, "total_bytes", p.total_bytes, error) ||
        !read_count(doc, "rate_bytes_per_s", p.rate_bytes_per_s, error) ||
        !read_count(doc, "remaining_s", p.remaining_s, error))
        return error;
    return p;
}

std::variant<JobResult, std::string> parse_result_report(std::string_view body) {
    auto parsed = object_of(body);
    if (auto* e = std::get_if<std::string>(&parsed)) return *e;
    const auto& doc = std::get<json>(parsed);
    JobResult r;
    const auto status = doc.find("status");
    if (status == doc.end() || !status->is_string() ||
        (status->get<std::string>() != "done" && status->get<std::string>() != "failed"))
        return std::string("status: expected \"done\" or \"failed\"");
    r.state = status->get<std::string>() == "done" ? JobState::done : JobState::failed;
    for (const auto& [key, out] : {std::pair{"stage", &r.stage}, std::pair{"error", &r.error}}) {
        const auto it = doc.find(key);
        if (it == doc.end() || it->is_null()) continue;
        if (!it->is_string()) return std::string(key) + ": expected text";
        *out = truncate_utf8(it->get<std::string>(), max_text);
    }
    if (r.state == JobState::failed && r.error.empty())
        return std::string("error: a failed result needs the error");
    return r;
}

}  // namespace castline::daemon
