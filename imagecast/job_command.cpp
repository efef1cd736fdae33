#include "imagecast/job_command.hpp"

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "imagecast/disk_choice.hpp"
#include "imagecast/job_client.hpp"
#include "imagecast/network_restore.hpp"
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
        if (text_field(restore, "method") != "session")
            throw imager::ImagerError(imager::ExitCode::bad_usage,
                                      "job: restore.method: this imager restores from sessions");
        power = optional_text(job, "power").value_or("reboot");
        if (power != "reboot" && power != "poweroff" && power != "stay")
            throw imager::ImagerError(
                imager::ExitCode::bad_usage,
                "job: power: '" + power + "' is not reboot, poweroff or stay");
        say("job for " + host + ": image " + text_field(job, "image") + " from session " +
            text_field(restore, "session"));

        stage = "find-disk";
        ProgressReporter reporter(*client);
        reporter.update({{"item", stage}, {"percent", 0}});
        const auto rule = job.contains("disk") ? text_field(job["disk"], "rule") : "only-fixed";
        const auto disk = choose_disk(list_disks(options.sysfs, options.allow_loop), rule);
        say("target disk " + disk.device.string() + " (" + std::to_string(disk.size >> 20) +
            " MiB), rule " + rule);

        stage = "restore";
        NetworkRestoreOptions r;
        r.session.server = text_field(restore, "server");
        r.session.resolver_port = restore.value<std::uint16_t>("resolver_port", 31527);
        r.session.name = text_field(restore, "session");
        r.session_password = optional_text(restore, "password").value_or("");
        r.image_password = optional_text(job, "image_password");
        r.target = disk.device;
        r.verify = job.value("verify", true);
        r.client_name = host;
        r.on_progress = [&](const imager::ProgressSnapshot& s) {
            reporter.update(progress_json("restore", s));
            std::fprintf(stderr, "%s\n", imager::format_progress_line(s).c_str());
        };
        restore_from_session(r);
        say("restored and " + std::string(r.verify ? "verified " : "") + disk.device.string());

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
