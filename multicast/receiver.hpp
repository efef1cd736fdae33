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

// Exit codes of castline-mcast-receive (and the imager's session restore).
enum class ReceiveOutcome {
    done = 0,
    failed = 1,
    refused = 3,
    dropped = 4,
    not_found = 5,
    timeout = 6
};

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

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace castline::multicast
