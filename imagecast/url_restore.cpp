#include "imagecast/url_restore.hpp"

#include <atomic>
#include <boost/system/system_error.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "common/http_client.hpp"
#include "common/utf8.hpp"
#include "imagecast/image_chunk_sink.hpp"
#include "imagecast/image_url.hpp"
#include "imager/errors.hpp"

namespace castline::imagecast {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int chunk_attempts = 3;

std::span<const std::uint8_t> bytes_of(const std::string& body) {
    return {reinterpret_cast<const std::uint8_t*>(body.data()), body.size()};
}

// A GET that waits out an unreachable server for `patience`, and turns a refusal into the
// server's own message.
std::string fetch(HttpConnection& connection, const ImageUrl& url, const std::string& target,
                  std::chrono::seconds patience, const std::atomic<bool>& stop) {
    const auto give_up = Clock::now() + patience;
    auto pause = std::chrono::milliseconds(100);
    for (;;) {
        try {
            auto answer = connection.request("GET", target, "", std::chrono::seconds(30));
            if (answer.status == 200) return std::move(answer.body);
            throw imager::ImagerError(imager::ExitCode::session_failed,
                                      "http://" + url.host + ":" + url.port + target +
                                          " answered " + std::to_string(answer.status) + ": " +
                                          std::string(truncate_utf8(answer.body, 300)));
        } catch (const boost::system::system_error& e) {
            if (stop || Clock::now() >= give_up)
                throw imager::ImagerError(
                    imager::ExitCode::session_failed,
                    "cannot fetch " + url.to_string() + " (" + target + "): " + e.what());
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, std::chrono::milliseconds(2000));
        }
    }
}

class ChunkFetch {
  public:
    ChunkFetch(const UrlRestoreOptions& options, const ImageUrl& url, ImageChunkSink& sink)
        : options_(options), url_(url), sink_(sink), count_(sink.missing().size()) {}

    void run() {
        std::vector<std::thread> workers;
        const int n = std::max(1, std::min<int>(options_.connections, static_cast<int>(count_)));
        running_ = n;
        for (int i = 0; i < n; ++i) workers.emplace_back([this] { work(); });
        const auto started = Clock::now();
        {
            std::unique_lock lock(mutex_);
            while (running_ > 0) {
                changed_.wait_for(lock, std::chrono::seconds(1));
                report(started);
            }
        }
        for (auto& w : workers) w.join();
        report(started);
        if (error_) throw *error_;
    }

  private:
    void work() {
        HttpConnection connection(url_.host, url_.port, "castline-imager");
        try {
            for (auto index = next_++; index < count_ && !stop_; index = next_++)
                fetch_chunk(connection, static_cast<std::uint32_t>(index));
        } catch (const imager::ImagerError& e) {
            fail(e);
        } catch (const std::exception& e) {
            fail(imager::io_error(e.what()));
        }
        std::lock_guard lock(mutex_);
        --running_;
        changed_.notify_all();
    }

    void fetch_chunk(HttpConnection& connection, std::uint32_t index) {
        const auto target = url_.path + "/chunks/" + std::to_string(index);
        for (int attempt = 1;; ++attempt) {
            const auto body = fetch(connection, url_, target, options_.patience, stop_);
            std::lock_guard lock(mutex_);
            const auto result = sink_.accept(index, bytes_of(body));
            using Kind = multicast::SinkResult::Kind;
            if (result.kind == Kind::written) return;
            if (result.kind == Kind::error) throw imager::io_error(result.message);
            if (attempt == chunk_attempts)
                throw imager::bad_image(result.message + " (downloaded " +
                                        std::to_string(chunk_attempts) + " times from " +
                                        url_.to_string() + ")");
        }
    }

    void fail(const imager::ImagerError& e) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = e;
        stop_ = true;
    }

    // Called with mutex_ held.
    void report(Clock::time_point started) {
        if (!options_.on_progress) return;
        options_.on_progress(sink_.progress(started));
    }

    const UrlRestoreOptions& options_;
    const ImageUrl& url_;
    ImageChunkSink& sink_;
    const std::size_t count_;
    std::atomic<std::size_t> next_{0};
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable changed_;
    int running_ = 0;
    std::optional<imager::ImagerError> error_;
};

}  // namespace

void restore_from_url(const UrlRestoreOptions& options) {
    const auto parsed = parse_image_url(options.url);
    if (const auto* e = std::get_if<std::string>(&parsed))
        throw imager::ImagerError(imager::ExitCode::bad_usage, "--url " + options.url + ": " + *e);
    const auto& url = std::get<ImageUrl>(parsed);

    ImageChunkSink sink({.target = options.target,
                         .image_password = options.image_password,
                         .verify = options.verify,
                         .write = options.write});
    {
        HttpConnection connection(url.host, url.port, "castline-imager");
        const std::atomic<bool> never{false};
        const auto frame = fetch(connection, url, url.path, options.patience, never);
        if (auto problem = sink.open(bytes_of(frame)); !problem.empty())
            throw imager::ImagerError(sink.failure_code().value_or(imager::ExitCode::bad_image),
                                      problem);
    }
    ChunkFetch(options, url, sink).run();
    if (const auto missing = sink.missing(); !missing.empty())
        throw imager::io_error(std::to_string(missing.size()) + " chunks were not written");
    if (auto problem = sink.finish(); !problem.empty())
        throw imager::ImagerError(sink.failure_code().value_or(imager::ExitCode::io_error),
                                  problem);
}

}  // namespace castline::imagecast
