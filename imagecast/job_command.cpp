#include "imagecast/job_command.hpp"

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "common/multicast_defaults.hpp"
#include "imagecast/disk_choice.hpp"
#include "imagecast/job_client.hpp"
#include "imagecast/network_restore.hpp"
#include "imagecast/url_restore.hpp"
#include "imager/errors.hpp"
#include "imager/postconfig.hpp"
#include "imager/postconfig_spec.hpp"

namespace castline::imagecast {
namespace {

using nlohmann::json;

void say(const std::string& text) {
    std::fprintf(stderr, "castline-imager: %s\n", text.c_str());
    std::fflush(stderr);
}

std::string text_field(const json& doc, const char* key) {
    const auto it = doc.find(key);
    if (it == doc.end() || !it->is_string())
        throw imager::ImagerError(imager::ExitCode::bad_usage,
                                  std::string("job: ") + key + ": expected text");
    return it->get<std::string>();
}

std::optional<std::string> optional_text(const json& doc, const char* key) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return std::nullopt;
    return text_field(doc, key);
}

// Posts the latest progress about once a second from its own thread, so a slow or absent
// castlined never holds up the restore.
class ProgressReporter {
  public:
    explicit ProgressReporter(JobClient& client) : client_(client), thread_([this] { loop(); }) {}
    ~ProgressReporter() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_one();
        thread_.join();
    }
    void update(json progress) {
        std::lock_guard lock(mutex_);
        latest_ = std::move(progress);
    }

  private:
    void loop() {
        std::unique_lock lock(mutex_);
        while (!stop_) {
            wake_.wait_for(lock, std::chrono::seconds(1));
            if (!latest_) continue;
            auto body = std::move(*latest_);
            latest_.reset();
            lock.unlock();
            client_.report_progress(body);
            lock.lock();
        }
    }
    JobClient& client_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<json> latest_;
    bool stop_ = false;
    std::thread thread_;
};

json progress_json(const std::string& item, const imager::ProgressSnapshot& s) {
    const double rate = s.elapsed_seconds > 0 ? static_cast<double>(s.done) / s.elapsed_seconds : 0;
    const auto remaining =
        rate > 0 && s.total >= s.done
            ? static_cast<long long>(static_cast<double>(s.total - s.done) / rate)
            : -1;
    return {{"item", item},
            {"percent",
             s.total ? 100.0 * static_cast<double>(s.done) / static_cast<double>(s.total) : 0.0},
            {"done_bytes", s.done},
            {"total_bytes", s.total},
            {"elapsed_s", static_cast<long long>(s.elapsed_seconds)},
            {"remaining_s", remaining},
            {"rate_bytes_per_s", static_cast<long long>(rate)}};
}

std::uint64_t size_field(const json& doc, const char* key) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return 0;
    if (!it->is_number_unsigned())
        throw imager::ImagerError(imager::ExitCode::bad_usage,
                                  std::string("job: ") + key + ": expected a size in bytes");
    return it->get<std::uint64_t>();
}

// docs/jobs.md: {"rule": "only-fixed"} or {"rule": "match", "path": ..., "model": ..., ...}.
DiskRule disk_rule(const json& job) {
    DiskRule rule;
    rule.needed_bytes = size_field(job, "image_min_bytes");
    const auto it = job.find("disk");
    if (it == job.end() || it->is_null()) return rule;
    const auto& disk = *it;
    const auto kind = text_field(disk, "rule");
    if (kind == "only-fixed") return rule;
    if (kind != "match")
        throw imager::ImagerError(imager::ExitCode::bad_usage,
                                  "job: disk.rule: '" + kind + "' is not only-fixed or match");
    rule.path = optional_text(disk, "path").value_or("");
    rule.model = optional_text(disk, "model").value_or("");
    rule.serial = optional_text(disk, "serial").value_or("");
    rule.min_size = size_field(disk, "min_size");
    rule.max_size = size_field(disk, "max_size");
    if (rule.only_fixed())
        throw imager::ImagerError(imager::ExitCode::bad_usage,
                                  "job: disk: rule match names no criterion");
    return rule;
}

}  // namespace

int run_job(const JobOptions& options) {
    std::string stage = "fetch";
    std::string power = "reboot";
    std::optional<JobClient> client;
    try {
        client.emplace(options.server, options.token);
    } catch (const JobServerError& e) {
        say(std::string("job: ") + e.what());
        return static_cast<int>(imager::ExitCode::bad_usage);
    }
    try {
        json job;
        try {
            job = client->fetch(std::chrono::seconds(60));
        } catch (const JobServerError& e) {
            throw imager::ImagerError(imager::ExitCode::session_failed, e.what());
        }
        const auto host = text_field(job, "host");
        const auto mac = MacAddress::parse(text_field(job, "mac"));
        if (!mac) throw imager::ImagerError(imager::ExitCode::bad_usage, "job: mac: not a MAC");
        const auto& restore = job.at("restore");
        const auto method = text_field(restore, "method");
        if (method != "session" && method != "unicast")
            throw imager::ImagerError(
                imager::ExitCode::bad_usage,
                "job: restore.method: '" + method + "' is not session or unicast");
        power = optional_text(job, "power").value_or("reboot");
        if (power != "reboot" && power != "poweroff" && power != "stay")
            throw imager::ImagerError(
                imager::ExitCode::bad_usage,
                "job: power: '" + power + "' is not reboot, poweroff or stay");
        say("job for " + host + ": image " + text_field(job, "image") +
            (method == "session" ? " from session " + text_field(restore, "session")
                                 : " from " + text_field(restore, "url")));

        stage = "find-disk";
        ProgressReporter reporter(*client);
        reporter.update({{"item", stage}, {"percent", 0}});
        auto rule = disk_rule(job);
        const auto disk = choose_disk(list_disks(options.sysfs, options.allow_loop), rule);
        say("target disk " + disk.device.string() + " (" + std::to_string(disk.size >> 20) +
            " MiB), rule " + rule.describe());

        stage = "restore";
        const bool verify = job.value("verify", true);
        const auto on_progress = [&](const imager::ProgressSnapshot& s) {
            reporter.update(progress_json("restore", s));
            std::fprintf(stderr, "%s\n", imager::format_progress_line(s).c_str());
        };
        if (method == "session") {
            NetworkRestoreOptions r;
            r.receiver.address.server = text_field(restore, "server");
            r.receiver.address.resolver_port =
                restore.value<std::uint16_t>("resolver_port", multicast_defaults::resolver_port);
            r.receiver.address.name = text_field(restore, "session");
            r.receiver.password = optional_text(restore, "password").value_or("");
            r.receiver.client_name = host;
            r.image_password = optional_text(job, "image_password");
            r.target = disk.device;
            r.verify = verify;
            r.on_progress = on_progress;
            restore_from_session(r);
        } else {
            restore_from_url({.url = text_field(restore, "url"),
                              .target = disk.device,
                              .image_password = optional_text(job, "image_password"),
                              .verify = verify,
                              .on_progress = on_progress});
        }
        say("restored and " + std::string(verify ? "verified " : "") + disk.device.string());

        if (job.contains("postconfig") && !job["postconfig"].is_null()) {
            stage = "postconfig";
            reporter.update({{"item", stage}, {"percent", 100}});
            const auto spec = imager::parse_postconfig_spec(job["postconfig"].dump());
            imager::apply_postconfig(disk.device, spec, *mac, [](const std::string& change) {
                say("post-config: " + change);
            });
        }
    } catch (const imager::ImagerError& e) {
        say("job failed in " + stage + ": " + e.what());
        client->report_result({{"status", "failed"}, {"stage", stage}, {"error", e.what()}});
        return static_cast<int>(e.code);
    } catch (const std::exception& e) {
        say("job failed in " + stage + ": " + e.what());
        client->report_result({{"status", "failed"}, {"stage", stage}, {"error", e.what()}});
        return static_cast<int>(imager::ExitCode::io_error);
    }
    if (!client->report_result({{"status", "done"}}))
        say("could not report the result to castlined; the disk is restored");
    std::error_code ec;
    std::filesystem::create_directories(options.power_file.parent_path(), ec);
    std::ofstream(options.power_file) << power << "\n";
    say("job done; power action " + power);
    return 0;
}

}  // namespace castline::imagecast
