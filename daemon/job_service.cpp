#include "daemon/job_service.hpp"

#include <sys/random.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "common/log.hpp"
#include "daemon/api_json.hpp"
#include "daemon/host_scripts.hpp"
#include "daemon/http_log.hpp"
#include "daemon/job_document.hpp"
#include "daemon/job_reports.hpp"
#include "pxe/ipxe_script.hpp"

namespace castline::daemon {
namespace {

using nlohmann::json;
constexpr std::string_view jobs_prefix = "/api/v1/jobs/";
constexpr std::string_view hosts_prefix = "/api/v1/hosts/";

// 128 random bits: the job's only credential (docs/jobs.md).
std::string random_token() {
    unsigned char bytes[16];
    std::size_t got = 0;
    while (got < sizeof bytes) {
        const auto n = ::getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0) throw std::runtime_error("getrandom failed");
        got += static_cast<std::size_t>(n);
    }
    std::string hex;
    char pair[3];
    for (unsigned char b : bytes) {
        std::snprintf(pair, sizeof pair, "%02x", b);
        hex += pair;
    }
    return hex;
}

json job_json(const Job& job) {
    return {{"token", job.token},
            {"host", job.host},
            {"mac", job.mac},
            {"image", job.image},
            {"state", to_string(job.state)},
            {"stage", job.stage},
            {"error", job.error},
            {"percent", job.progress.percent},
            {"done_bytes", job.progress.done_bytes},
            {"total_bytes", job.progress.total_bytes},
            {"rate_bytes_per_s", job.progress.rate_bytes_per_s},
            {"remaining_s", job.progress.remaining_s},
            {"created_at", job.created_at},
            {"finished_at", job.finished_at ? json(*job.finished_at) : json(nullptr)}};
}

// How long an imager waits before asking again for a job whose image is being validated.
constexpr int retry_after_seconds = 2;

HttpResponse retry_later(const HttpRequest& request, const std::string& why) {
    auto response = error_response(request, http::status::service_unavailable, why);
    response.set(http::field::retry_after, std::to_string(retry_after_seconds));
    return response;
}

const config::Host* find_host(const config::SiteConfig& config, std::string_view name_or_mac) {
    if (const auto mac = MacAddress::parse(name_or_mac)) return config.find_host(*mac);
    for (const auto& host : config.hosts)
        if (host.name == name_or_mac) return &host;
    return nullptr;
}

// "TOKEN/progress" -> {"TOKEN", "progress"}
std::pair<std::string, std::string> split_tail(std::string_view tail) {
    const auto slash = tail.find('/');
    if (slash == std::string_view::npos) return {std::string(tail), ""};
    return {std::string(tail.substr(0, slash)), std::string(tail.substr(slash + 1))};
}

}  // namespace

JobService::JobService(SqliteDatabase& db, RolloutManager& rollouts,
                       std::function<const config::SiteConfig&()> current, AddressOfMac addresses)
    : store_(db),
      rollouts_(rollouts),
      current_(std::move(current)),
      addresses_(std::move(addresses)) {}

std::string JobService::new_job(const config::Host& host, const config::Rollout* rollout) {
    const auto& config = current_();
    Job job;
    job.token = random_token();
    job.host = host.name;
    job.mac = host.mac.to_string();
    try {
        job.image = job_image(config, host, rollout).name;
    } catch (const JobError&) {
        // No image: the job fails with that reason when the imager fetches it.
    }
    // Only the latest job is live: an older token must not image the host or move a rollout.
    if (const int revoked = store_.revoke_unfinished(job.mac); revoked > 0)
        log::info("job_revoked", {{"host", job.host}, {"mac", job.mac}, {"jobs", revoked}});
    store_.create(job);
    log::info("job_state", {{"host", job.host},
                            {"mac", job.mac},
                            {"image", job.image},
                            {"state", "pending"},
                            {"token", job.token.substr(0, 8)}});
    return job.token;
}

std::optional<BootJob> JobService::for_boot(const config::Host& host, Ipv4Address requester) {
    const auto* rollout = rollouts_.imaging_rollout(host.mac);
    if (!rollout && pxe::script_kind(current_(), host.mac) != pxe::ScriptKind::image)
        return std::nullopt;
    const auto latest = store_.latest_for(host.mac.to_string());
    // A done job with a rollout still to image this host is from before the run: image again.
    if (latest && latest->state == JobState::done && !rollout) return BootJob{.done = true};
    // Whoever names a MAC gets its script; only the host itself gets the token, which returns
    // the image and session passwords and the post-config. Others boot their local disk.
    const auto address = host_address(host, addresses_);
    const auto bound = latest && !finished(*latest) ? latest->client : std::nullopt;
    std::string withheld;
    if (!address)
        withheld =
            "castlined knows no address for this host (no lease, no DHCP sighting, no "
            "hosts[].address)";
    else if (requester != *address)
        withheld = "the requester is not the host's address " + address->to_string();
    else if (bound && *bound != requester)
        withheld = "the job is bound to " + bound->to_string() + "; reimage to start over";
    if (!withheld.empty()) {
        log::warn("job_token_withheld", {{"host", host.name},
                                         {"mac", host.mac.to_string()},
                                         {"client", requester.to_string()},
                                         {"reason", withheld}});
        return BootJob{.done = true};
    }
    rollouts_.host_booted(host.mac);
    // None yet, done before, or failed: again.
    const auto token = latest && !finished(*latest) ? latest->token : new_job(host, rollout);
    store_.bind_client(token, requester);
    // Start validating the image now, so that it is ready when the imager has booted.
    try {
        const auto image = job_image(current_(), host, rollout);
        validation_.ready(image.path, image.password);
    } catch (const JobError&) {
        // The job fetch reports it.
    }
    return BootJob{.token = token};
}

std::optional<std::string> JobService::refusal(const Job& job, Ipv4Address client) {
    if (job.client) {
        if (*job.client == client) return std::nullopt;
        return "bound to " + job.client->to_string();
    }
    const auto mac = MacAddress::parse(job.mac);
    const auto* host = mac ? current_().find_host(*mac) : nullptr;
    const auto address = host ? host_address(*host, addresses_) : std::nullopt;
    if (!address) return "no address known for the host";
    if (*address != client) return "the host's address is " + address->to_string();
    store_.bind_client(job.token, client);
    return std::nullopt;
}

std::variant<Job, HttpResponse> JobService::authorized_job(const HttpRequest& request,
                                                           const HttpClient& client,
                                                           const std::string& token) {
    auto job = store_.find(token);
    if (!job) return error_response(request, http::status::not_found, "no such job");
    if (const auto why = refusal(*job, client.address)) {
        log::warn("job_request_refused", {{"host", job->host},
                                          {"client", client.address.to_string()},
                                          {"target", loggable_target(request.target())},
                                          {"reason", *why}});
        // The requester learns nothing about the job or its host.
        return error_response(request, http::status::forbidden,
                              "this job belongs to another client");
    }
    return std::move(*job);
}

void JobService::fail(const Job& job, const std::string& stage, const std::string& error) {
    store_.record_result(job.token, JobState::failed, stage, error);
    log::error("job_state", {{"host", job.host},
                             {"mac", job.mac},
                             {"state", "failed"},
                             {"stage", stage},
                             {"error", error}});
    if (const auto mac = MacAddress::parse(job.mac)) rollouts_.host_failed(*mac, error);
}

JobService::Target JobService::target_of(const Job& job) {
    const auto& config = current_();
    Target target;
    const auto mac = MacAddress::parse(job.mac);
    target.host = mac ? config.find_host(*mac) : nullptr;
    if (!target.host) {
        target.problem = "host " + job.host + " is no longer in the config";
        return target;
    }
    target.rollout = rollouts_.imaging_rollout(target.host->mac);
    try {
        const auto image = job_image(config, *target.host, target.rollout);
        target.image = validation_.ready(image.path, image.password);
        if (!target.image) {
            target.checking = true;
            target.problem = "image " + image.name + " is being validated, ask again later";
        } else if (!target.image->problem.empty())
            target.problem = "image " + image.name + " failed validation: " + target.image->problem;
    } catch (const JobError& e) {
        target.problem = e.what();
    }
    return target;
}

HttpResponse JobService::get_job(const HttpRequest& request, const HttpClient& client) {
    const auto [token, rest] =
        split_tail(std::string_view(request.target()).substr(jobs_prefix.size()));
    auto found = authorized_job(request, client, token);
    if (auto* refused = std::get_if<HttpResponse>(&found)) return std::move(*refused);
    const auto job = std::optional<Job>(std::get<Job>(std::move(found)));
    if (finished(*job))
        return error_response(request, http::status::gone, "job is " + to_string(job->state));
    if (rest == "image" || rest.starts_with("image/chunks/"))
        return get_image(request, *job, std::string_view(rest).substr(5));
    if (!rest.empty()) return error_response(request, http::status::not_found, "no such job part");
    const auto& config = current_();
    const auto target = target_of(*job);
    if (target.checking) {
        log::info("job_waits_for_validation", {{"host", job->host}, {"image", job->image}});
        return retry_later(request, target.problem);
    }
    const auto server = server_address_for(config, client.address);
    std::string problem;
    json doc;
    if (!target.host || !server) {
        problem = "host " + job->host + " is no longer in the config";
    } else {
        try {
            doc = job_document(config, *target.host, job->token, *server, target.rollout);
        } catch (const std::exception& e) {
            problem = e.what();
        }
        if (problem.empty()) problem = target.problem;
        if (problem.empty()) doc["image_min_bytes"] = target.image->needed_bytes;
    }
    if (!problem.empty()) {
        fail(*job, "job", problem);
        return error_response(request, http::status::unprocessable_entity, problem);
    }
    log::info("job_fetched", {{"host", job->host}, {"client", client.address.to_string()}});
    return json_response(request, http::status::ok, doc);
}

// "" (the image frame) or "/chunks/N": the job's image for a unicast restore, read through the
// image validation's opened copy so that only an image that passed validation is served.
HttpResponse JobService::get_image(const HttpRequest& request, const Job& job,
                                   std::string_view part) {
    const auto target = target_of(job);
    if (target.checking) return retry_later(request, target.problem);
    if (!target.problem.empty())
        return error_response(request, http::status::unprocessable_entity, target.problem);
    std::lock_guard lock(target.image->mutex);
    auto& source = *target.image->source;
    std::vector<std::uint8_t> bytes;
    if (part.empty()) {
        const auto frame = source.manifest();
        bytes.assign(frame.begin(), frame.end());
        log::info("job_image_fetched", {{"host", job.host}, {"chunks", source.chunk_count()}});
    } else {
        const auto number = part.substr(std::string_view("/chunks/").size());
        std::uint32_t index = 0;
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), index);
        if (ec != std::errc() || end != number.data() + number.size() || number.empty() ||
            index >= source.chunk_count())
            return error_response(request, http::status::not_found,
                                  "no chunk " + std::string(number) + " in this image (" +
                                      std::to_string(source.chunk_count()) + " chunks)");
        try {
            bytes = source.read_chunk(index);
        } catch (const std::exception& e) {
            log::error("job_image_read_failed", {{"host", job.host}, {"error", e.what()}});
            return error_response(request, http::status::internal_server_error, e.what());
        }
    }
    return http_text_response(request, http::status::ok, std::string(bytes.begin(), bytes.end()),
                              "application/octet-stream");
}

// Reports for a job that is not its host's latest would move the host's rollout on behalf of an
// imaging the operator has since replaced.
static std::optional<HttpResponse> stale(const HttpRequest& request, JobStore& store,
                                         const Job& job) {
    if (finished(job))
        return error_response(request, http::status::conflict, "job is " + to_string(job.state));
    const auto latest = store.latest_for(job.mac);
    if (latest && latest->token != job.token)
        return error_response(request, http::status::conflict,
                              "job is not the host's latest (reimaged since)");
    return std::nullopt;
}

HttpResponse JobService::post_progress(const HttpRequest& request, const Job& found) {
    const auto job = std::optional<Job>(found);
    const auto& token = found.token;
    if (auto refused = stale(request, store_, *job)) return std::move(*refused);
    const auto parsed = parse_progress_report(request.body());
    if (const auto* e = std::get_if<std::string>(&parsed))
        return error_response(request, http::status::bad_request, *e);
    const auto& p = std::get<JobProgress>(parsed);
    store_.record_progress(token, p);
    const auto mac = MacAddress::parse(job->mac);
    if (job->state == JobState::pending) {
        log::info("job_state", {{"host", job->host}, {"mac", job->mac}, {"state", "running"}});
        if (mac) rollouts_.host_imaging(*mac);
    }
    if (mac && p.item == "postconfig" && job->stage != "postconfig")
        rollouts_.host_postconfig(*mac);
    auto& last = last_progress_log_[token];
    const auto now = std::chrono::steady_clock::now();
    if (now - last >= std::chrono::seconds(5) || p.item != job->stage) {
        last = now;
        log::info("job_progress", {{"host", job->host},
                                   {"item", p.item},
                                   {"percent", static_cast<long>(p.percent)},
                                   {"done_bytes", static_cast<long>(p.done_bytes)},
                                   {"total_bytes", static_cast<long>(p.total_bytes)},
                                   {"remaining_s", static_cast<long>(p.remaining_s)}});
    }
    return http_text_response(request, http::status::no_content, "");
}

HttpResponse JobService::post_result(const HttpRequest& request, const Job& found) {
    const auto job = std::optional<Job>(found);
    const auto& token = found.token;
    if (auto refused = stale(request, store_, *job)) return std::move(*refused);
    const auto parsed = parse_result_report(request.body());
    if (const auto* e = std::get_if<std::string>(&parsed))
        return error_response(request, http::status::bad_request, *e);
    const auto& r = std::get<JobResult>(parsed);
    last_progress_log_.erase(token);
    if (r.state == JobState::failed) {
        fail(*job, r.stage, r.error);
    } else {
        store_.record_result(token, JobState::done, "done", "");
        log::info("job_state", {{"host", job->host}, {"mac", job->mac}, {"state", "done"}});
        if (const auto mac = MacAddress::parse(job->mac)) rollouts_.host_done(*mac);
    }
    return http_text_response(request, http::status::no_content, "");
}

void JobService::register_boot_routes(HttpRouter& router) {
    router.add(http::verb::get, std::string(jobs_prefix),
               [this](const HttpRequest& request, const HttpClient& client) {
                   return get_job(request, client);
               });
    router.add(http::verb::post, std::string(jobs_prefix),
               [this](const HttpRequest& request, const HttpClient& client) -> HttpResponse {
                   const auto [token, action] =
                       split_tail(std::string_view(request.target()).substr(jobs_prefix.size()));
                   auto found = authorized_job(request, client, token);
                   if (auto* refused = std::get_if<HttpResponse>(&found))
                       return std::move(*refused);
                   const auto& job = std::get<Job>(found);
                   if (action == "progress") return post_progress(request, job);
                   if (action == "result") return post_result(request, job);
                   return error_response(request, http::status::not_found, "no such job action");
               });
}

void JobService::register_api_routes(HttpRouter& router) {
    router.add(http::verb::get, "/api/v1/jobs",
               [this](const HttpRequest& request, const HttpClient&) -> HttpResponse {
                   auto host = query_value(std::string_view(request.target()), "host");
                   // A MAC in any spelling, as the store keeps it.
                   if (const auto mac = MacAddress::parse(host)) host = mac->to_string();
                   json list = json::array();
                   for (const auto& job : store_.list(host)) list.push_back(job_json(job));
                   return json_response(request, http::status::ok, list);
               });
    router.add(http::verb::post, std::string(hosts_prefix),
               [this](const HttpRequest& request, const HttpClient&) -> HttpResponse {
                   const auto [name, action] =
                       split_tail(std::string_view(request.target()).substr(hosts_prefix.size()));
                   if (action != "reimage")
                       return error_response(request, http::status::not_found, "no such action");
                   if (const auto* host = find_host(current_(), name))
                       return reimage(request, *host);
                   return error_response(
                       request, http::status::not_found,
                       "no host named " + name + " (by name or MAC) in the config");
               });
}

// Refuses (422) a host whose image cannot be used: none configured, a missing or unreadable
// file, or a failed validation. An image not checked yet is checked now, off this thread, so
// that the host's job fetch finds it ready.
HttpResponse JobService::reimage(const HttpRequest& request, const config::Host& host) {
    const auto* rollout = rollouts_.imaging_rollout(host.mac);
    std::string problem;
    try {
        const auto image = job_image(current_(), host, rollout);
        const auto checked = validation_.ready(image.path, image.password);
        if (checked && !checked->problem.empty())
            problem = "image " + image.name + " cannot be used: " + checked->problem;
    } catch (const JobError& e) {
        problem = e.what();
    }
    if (!problem.empty()) {
        log::warn("reimage_refused", {{"host", host.name}, {"problem", problem}});
        return error_response(request, http::status::unprocessable_entity,
                              host.name + ": " + problem);
    }
    return json_response(
        request, http::status::created,
        {{"host", host.name}, {"mac", host.mac.to_string()}, {"token", new_job(host, rollout)}});
}

}  // namespace castline::daemon
