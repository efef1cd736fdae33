#include "imager/background_flush.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "imager/errors.hpp"

namespace castline::imager {

BackgroundFlush::BackgroundFlush() : thread_([this] { run(); }) {}

BackgroundFlush::~BackgroundFlush() {
    stop();
}

void BackgroundFlush::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void BackgroundFlush::request(const File& file) {
    {
        std::lock_guard lock(mutex_);
        if (std::any_of(pending_.begin(), pending_.end(),
                        [&](const Request& r) { return r.fd == file.fd(); }))
            return;
        pending_.push_back({file.fd(), file.path()});
    }
    wake_.notify_one();
}

void BackgroundFlush::finish() {
    stop();
    if (!error_.empty()) throw io_error(error_);
}

void BackgroundFlush::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
        if (pending_.empty()) return;
        const Request request = pending_.front();
        pending_.erase(pending_.begin());
        lock.unlock();
        const bool ok = ::fdatasync(request.fd) == 0;
        const int saved = errno;
        lock.lock();
        if (!ok && error_.empty())
            error_ = request.path.string() + ": fdatasync: " + std::strerror(saved);
    }
}

}  // namespace castline::imager
