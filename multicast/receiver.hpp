#pragma once
// One receiver of a multicast session: finds the session (resolver or given control port),
// joins with the challenge-response, receives and authenticates symbols from the group,
// reassembles and hands whole chunks to its ChunkSink, and reports what it still needs.
#include <boost/asio.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "multicast/chunk_sink.hpp"
#include "multicast/session_address.hpp"

namespace castline::multicast {

struct ReceiverSettings {
    SessionAddress address;
    std::string password;
    std::string client_name;
    std::string interface;  // where to join the group; empty: routing decides
    std::size_t memory_limit = 512u << 20;
    std::chrono::seconds timeout{0};  // give up after this long; 0: never
    // How long to keep asking the resolver and retrying the connection: receivers may boot
    // before the session opens.
    std::chrono::seconds find_timeout{10};
    std::chrono::milliseconds progress_interval{500};
};

// How a receiver ended. castline-imager maps these onto its exit codes
// (imagecast/session_receive.hpp, docs/imager.md).
enum class ReceiveOutcome { done, failed, refused, dropped, not_found, timeout };

// "done", "refused", ...: for the receiver's log.
const char* outcome_name(ReceiveOutcome outcome);

class Receiver {
  public:
    Receiver(boost::asio::io_context& io, ReceiverSettings settings, ChunkSink& sink);
    ~Receiver();
    Receiver(const Receiver&) = delete;
    Receiver& operator=(const Receiver&) = delete;

    // Begins; the io_context runs until the receiver is finished.
    void start();
    bool finished() const;
    ReceiveOutcome outcome() const;
    const std::string& summary() const;
    // Not receiving yet: what it waits for ("looking for session NAME", "waiting for the session
    // to start: 1 of 2 joined"); empty once the session has started (or this receiver ended).
    std::string waiting() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace castline::multicast
