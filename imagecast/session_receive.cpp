#include "imagecast/session_receive.hpp"

#include <boost/asio.hpp>
#include <string>

namespace castline::imagecast {

namespace {
// The receiver's outcome as words that follow "session NAME at SERVER".
const char* what_happened(multicast::ReceiveOutcome outcome) {
    using Outcome = multicast::ReceiveOutcome;
    switch (outcome) {
        case Outcome::refused:
            return " refused this receiver: ";
        case Outcome::not_found:
            return " not found: ";
        case Outcome::dropped:
            return " dropped this receiver: ";
        case Outcome::timeout:
            return " timed out: ";
        case Outcome::done:
        case Outcome::failed:
            break;
    }
    return " failed: ";
}
}  // namespace

void receive_session(const multicast::ReceiverSettings& settings, ReportingChunkSink& sink,
                     const std::function<void(const imager::ProgressSnapshot&)>& on_progress) {
    boost::asio::io_context io;
    multicast::Receiver receiver(io, settings, sink);
    const auto started = std::chrono::steady_clock::now();
    std::string said_waiting;
    const auto report = [&] {
        if (!on_progress) return;
        auto snapshot = sink.progress(started);
        snapshot.waiting = receiver.waiting();
        // Once per change, not every second: nothing moves while the session waits.
        if (!snapshot.waiting.empty() && snapshot.waiting == said_waiting) return;
        said_waiting = snapshot.waiting;
        on_progress(snapshot);
    };
    boost::asio::steady_timer ticker(io);
    std::function<void()> tick = [&] {
        ticker.expires_after(std::chrono::seconds(1));
        ticker.async_wait([&](boost::system::error_code ec) {
            if (ec || receiver.finished()) return;
            report();
            tick();
        });
    };
    receiver.start();
    tick();
    // Until the receiver's last handler has finished it; then the ticker goes at once (waiting
    // for its next expiry kept every receiver up to a second after it was done).
    while (!receiver.finished() && io.run_one()) {
    }
    ticker.cancel();
    io.run();
    report();

    const auto outcome = receiver.outcome();
    if (outcome == multicast::ReceiveOutcome::done) return;
    if (const auto code = sink.failure_code()) throw imager::ImagerError(*code, receiver.summary());
    throw imager::ImagerError(imager::ExitCode::session_failed,
                              "session " + settings.address.name + " at " +
                                  settings.address.server + what_happened(outcome) +
                                  receiver.summary());
}

}  // namespace castline::imagecast
