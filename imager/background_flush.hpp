#pragma once
// Flushes written files to stable storage on a thread of its own, so that a device's write cache
// empties while the caller keeps working and the final fsync finds little left to do.
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "imager/file_io.hpp"

namespace castline::imager {

class BackgroundFlush {
  public:
    BackgroundFlush();
    ~BackgroundFlush();
    BackgroundFlush(const BackgroundFlush&) = delete;
    BackgroundFlush& operator=(const BackgroundFlush&) = delete;

    // Asks for an fdatasync of `file` soon, without waiting. The file must stay open (it may
    // move) until finish() returns.
    void request(const File& file);
    // Waits for every request; throws io_error if any flush failed. Linux reports a write-back
    // error to one fsync only, so a failure seen here must reach the caller.
    void finish();

  private:
    void run();
    void stop();  // flushes what is pending, then ends the thread
    struct Request {
        int fd;
        std::filesystem::path path;
    };

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Request> pending_;
    bool stopping_ = false;
    std::string error_;
    std::thread thread_;
};

}  // namespace castline::imager
