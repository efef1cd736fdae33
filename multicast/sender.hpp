#pragma once
// One multicast session on the sending side: accepts and authenticates receivers on its TCP
// control port, starts by its start rule, sends passes of symbols to the group at the
// controlled rate, repairs what receivers report missing, applies the time-limit policy and
// ends with a result. Runs on the caller's io_context; never blocks it on one receiver.
#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/ipv4_address.hpp"
#include "common/multicast_defaults.hpp"
#include "multicast/chunk_source.hpp"
#include "multicast/join_limiter.hpp"
#include "multicast/session_policy.hpp"

namespace castline::multicast {

struct SenderSettings {
    std::string session_name;
    std::string password;  // empty: open session
    Ipv4Address group{multicast_defaults::group};
    std::uint16_t data_port = 0;     // 0: chosen
    std::uint16_t control_port = 0;  // 0: chosen
    std::string interface;           // outgoing interface for the group; empty: routing decides
    // Control port address; 0.0.0.0: the interface's address when `interface` is set, else all.
    Ipv4Address bind_address{};
    std::uint32_t packet_size = multicast_defaults::packet_size;  // UDP payload bytes per datagram
    double rate_mbit = 0;  // 0: controlled by receivers' reports
    int ttl = 1;
    StartRule start;
    int max_clients = 0;  // 0: no limit
    bool constantcast = false;
    std::chrono::seconds time_limit{0};  // 0: none
    LatePolicy late_policy = LatePolicy::wait;
    SuccessThreshold success;
    std::chrono::seconds give_up{0};            // hard end whatever the state; 0: none
    std::uint32_t pbkdf2_iterations = 100'000;  // at least min_pbkdf2_iterations with a password
    JoinLimiter::Settings join_limit;
    std::chrono::milliseconds handshake_timeout{10'000};
    // Connections that have not finished the handshake, at most, so that silent connections
    // cannot take every descriptor: more are closed at once until one finishes or times out.
    std::size_t max_unauthenticated = 64;
    std::chrono::milliseconds silence_timeout{20'000};
    std::chrono::milliseconds report_wait{150};  // after a pass, wait this long at most for reports
};

struct ClientInfo {
    std::uint32_t id = 0;
    std::string name;
    std::string peer;
    std::string state;    // authenticating, joined, receiving, unicast, done, failed, dropped, left
    double progress = 0;  // 0..1
    double rate_mbit = 0;
    double loss = 0;  // 0..1, last reported
    std::string reason;
};

struct SessionResult {
    bool success = false;
    int joined = 0;
    int done = 0;
    std::string summary;
};

class Sender {
  public:
    Sender(boost::asio::io_context& io, SenderSettings settings, ChunkSource& source);
    ~Sender();
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;

    // Binds the control port and the data socket. Throws std::runtime_error naming the problem.
    void open();
    std::uint16_t control_port() const;
    boost::asio::ip::address_v4 control_address() const;
    std::uint16_t data_port() const;
    std::uint32_t session_id() const;

    // Starts now with the receivers that have joined; refused (and nothing remembered) when
    // nobody has joined or the session is not waiting.
    ManualStart start_by_hand();
    // Ends the session now; receivers not done count as failed.
    void stop(const std::string& reason);
    void pause();
    void resume();
    bool drop(std::uint32_t client_id);
    std::vector<ClientInfo> clients() const;

    bool finished() const;
    // waiting (for its start rule), running, paused or ended.
    std::string state() const;
    SessionResult result() const;
    // Called (posted on the io_context) once the session has ended.
    void set_on_finished(std::function<void()> f);

    // Bytes handed to the data socket (headers included) and symbols sent, for benchmarks.
    std::uint64_t bytes_sent() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace castline::multicast
