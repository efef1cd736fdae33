#include "imagecast/job_command.hpp"

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "imagecast/disk_choice.hpp"
#include "imagecast/job_client.hpp"
#include "imagecast/job_document.hpp"
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
        const auto doc = parse_job_document(job);
        power = doc.power;
        say("job for " + doc.host + ": image " + doc.image +
            (doc.method == "session" ? " from session " + doc.session : " from " + doc.url));

        stage = "find-disk";
        ProgressReporter reporter(*client);
        reporter.update({{"item", stage}, {"percent", 0}});
        auto rule = job_disk_rule(job);
        const auto disk = choose_disk(list_disks(options.sysfs, options.allow_loop), rule);
        say("target disk " + disk.device.string() + " (" + std::to_string(disk.size >> 20) +
            " MiB), rule " + rule.describe());

        stage = "restore";
        const bool verify = doc.verify;
        const auto on_progress = [&](const imager::ProgressSnapshot& s) {
            reporter.update(progress_json("restore", s));
            std::fprintf(stderr, "%s\n", imager::format_progress_line(s).c_str());
        };
        if (doc.method == "session") {
            NetworkRestoreOptions r;
            r.receiver.address.server = doc.server;
            r.receiver.address.resolver_port = doc.resolver_port;
            r.receiver.address.name = doc.session;
            r.receiver.password = doc.session_password;
            r.receiver.client_name = doc.host;
            r.image_password = doc.image_password;
            r.target = disk.device;
            r.verify = verify;
            r.on_progress = on_progress;
            restore_from_session(r);
        } else {
            restore_from_url({.url = doc.url,
                              .target = disk.device,
                              .image_password = doc.image_password,
                              .verify = verify,
                              .on_progress = on_progress});
        }
        say("restored and " + std::string(verify ? "verified " : "") + disk.device.string());

        if (!doc.postconfig.is_null()) {
            stage = "postconfig";
            reporter.update({{"item", stage}, {"percent", 100}});
            const auto spec = imager::parse_postconfig_spec(doc.postconfig.dump());
            imager::apply_postconfig(disk.device, spec, doc.mac, [](const std::string& change) {
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
