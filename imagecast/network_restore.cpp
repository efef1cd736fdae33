#include "imagecast/network_restore.hpp"

#include <boost/asio.hpp>

#include "imagecast/image_chunk_sink.hpp"
#include "imager/errors.hpp"
#include "multicast/receiver.hpp"

namespace castline::imagecast {

void restore_from_session(const NetworkRestoreOptions& options) {
    ImageChunkSink sink({.target = options.target,
                         .image_password = options.image_password,
                         .verify = options.verify,
                         .write = options.write});
    multicast::ReceiverSettings settings;
    settings.address = options.session;
    settings.password = options.session_password;
    settings.client_name = options.client_name;
    settings.find_timeout = options.find_timeout;
    settings.timeout = options.timeout;

    boost::asio::io_context io;
    multicast::Receiver receiver(io, settings, sink);
    const auto started = std::chrono::steady_clock::now();
    const auto report = [&] {
        if (!options.on_progress) return;
        options.on_progress(sink.progress(started));
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
    // The receiver's last handler finishes it; the ticker then stops at its next expiry.
    io.run();
    report();

    using Outcome = multicast::ReceiveOutcome;
    const auto outcome = receiver.outcome();
    if (outcome == Outcome::done) return;
    const auto where = "session " + options.session.name + " at " + options.session.server;
    if (const auto code = sink.failure_code()) throw imager::ImagerError(*code, receiver.summary());
    const char* what = outcome == Outcome::refused     ? " refused this receiver: "
                       : outcome == Outcome::not_found ? " not found: "
                       : outcome == Outcome::dropped   ? " dropped this receiver: "
                       : outcome == Outcome::timeout   ? ": "
                                                       : " failed: ";
    throw imager::ImagerError(imager::ExitCode::session_failed, where + what + receiver.summary());
}

}  // namespace castline::imagecast
