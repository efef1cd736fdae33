#pragma once
// Progress of a long operation: a bar redrawn in place on a terminal, otherwise one
// machine-readable line per second on stderr (docs/imager.md, "Progress"):
//   progress phase=restore bytes_done=N bytes_total=N rate_bytes_per_s=N elapsed_s=N remaining_s=N
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace castline::imager {

struct ProgressSnapshot {
    std::string phase;
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    double elapsed_seconds = 0;
    // Not yet under way, and why ("waiting for the session to start: 1 of 2 joined"): printed
    // instead of the counters.
    std::string waiting;
};

std::string format_progress_line(const ProgressSnapshot& s);
std::string format_progress_bar(const ProgressSnapshot& s, int width);

class Progress {
  public:
    enum class Style { bar, lines, quiet };
    Progress(std::string phase, std::uint64_t total, Style style, std::FILE* out = stderr);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    void add(std::uint64_t bytes) { done_.fetch_add(bytes, std::memory_order_relaxed); }
    // Prints the final state and stops the ticker.
    void finish();
    static Style default_style(std::FILE* out = stderr);

  private:
    void print(bool final);
    ProgressSnapshot snapshot() const;
    std::string phase_;
    std::uint64_t total_;
    Style style_;
    std::FILE* out_;
    std::atomic<std::uint64_t> done_{0};
    std::chrono::steady_clock::time_point start_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread ticker_;
};

}  // namespace castline::imager
