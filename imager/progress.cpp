#include "imager/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cinttypes>

#include "common/duration.hpp"

namespace castline::imager {
namespace {
std::uint64_t rate(const ProgressSnapshot& s) {
    return s.elapsed_seconds > 0
               ? static_cast<std::uint64_t>(static_cast<double>(s.done) / s.elapsed_seconds)
               : 0;
}
// Seconds left at the average rate so far; -1 while unknown.
std::int64_t remaining(const ProgressSnapshot& s) {
    const auto r = rate(s);
    if (s.done >= s.total) return 0;
    if (r == 0) return -1;
    return static_cast<std::int64_t>((s.total - s.done + r - 1) / r);
}
}  // namespace

std::string format_progress_line(const ProgressSnapshot& s) {
    if (!s.waiting.empty()) return s.waiting;
    char line[256];
    std::snprintf(line, sizeof line,
                  "progress phase=%s bytes_done=%" PRIu64 " bytes_total=%" PRIu64
                  " rate_bytes_per_s=%" PRIu64 " elapsed_s=%.1f remaining_s=%" PRId64,
                  s.phase.c_str(), s.done, s.total, rate(s), s.elapsed_seconds, remaining(s));
    return line;
}

std::string format_progress_bar(const ProgressSnapshot& s, int width) {
    if (!s.waiting.empty()) return s.waiting;
    const double fraction =
        s.total == 0 ? 1.0
                     : std::min(1.0, static_cast<double>(s.done) / static_cast<double>(s.total));
    const int filled = static_cast<int>(fraction * width);
    std::string bar = s.phase + " [" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(width - filled), ' ') + "]";
    const auto left = remaining(s);
    const auto time_left =
        left < 0 ? std::string("--:--")
                 : std::to_string(left / 60) + "m" + std::to_string(left % 60) + "s left";
    // Fixed widths, so that a redraw over a longer line leaves nothing of it behind.
    char tail[160];
    std::snprintf(tail, sizeof tail, " %5.1f%%  %10s of %-10s  %10s/s  %-14s", fraction * 100.0,
                  human_size(s.done).c_str(), human_size(s.total).c_str(),
                  human_size(rate(s)).c_str(), time_left.c_str());
    return bar + tail;
}

Progress::Style Progress::default_style(std::FILE* out) {
    return ::isatty(::fileno(out)) ? Style::bar : Style::lines;
}

Progress::Progress(std::string phase, std::uint64_t total, Style style, std::FILE* out)
    : phase_(std::move(phase)),
      total_(total),
      style_(style),
      out_(out),
      start_(std::chrono::steady_clock::now()) {
    if (style_ == Style::quiet) return;
    const auto period =
        style_ == Style::bar ? std::chrono::milliseconds(200) : std::chrono::milliseconds(1000);
    ticker_ = std::thread([this, period] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, period, [this] { return stop_; })) print(false);
    });
}

Progress::~Progress() {
    finish();
}

ProgressSnapshot Progress::snapshot() const {
    ProgressSnapshot s;
    s.phase = phase_;
    s.done = done_.load(std::memory_order_relaxed);
    s.total = total_;
    s.elapsed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return s;
}

void Progress::print(bool final) {
    const auto s = snapshot();
    if (style_ == Style::bar) {
        std::fprintf(out_, "\r%s%s", format_progress_bar(s, 30).c_str(), final ? "\n" : "");
    } else {
        std::fprintf(out_, "%s\n", format_progress_line(s).c_str());
    }
    std::fflush(out_);
}

void Progress::finish() {
    if (!ticker_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    ticker_.join();
    print(true);
}

}  // namespace castline::imager
