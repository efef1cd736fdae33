#pragma once
// When a session starts, who is late when its time limit passes, and whether it succeeded.
// Pure functions of counts and times so each rule is tested on its own.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace castline::multicast {

enum class LatePolicy { wait, unicast, drop };

struct StartRule {
    int clients = 0;  // start when this many have joined (0: not by count)
    int min_clients = 0;
    std::chrono::seconds max_wait{0};  // with min_clients: start after this long
    bool manual = false;               // only by hand
};

// joined: receivers that completed the handshake (a connection still authenticating does not
// count, so a lost reply cannot leave a phantom participant).
bool should_start(const StartRule& rule, int joined, std::chrono::steady_clock::duration waited,
                  bool started_by_hand);

// The success threshold: at least `count` receivers, or `percent` of those that joined.
struct SuccessThreshold {
    int count = 0;                                                        // > 0: absolute
    double percent = 100;                                                 // used when count == 0
    static std::optional<SuccessThreshold> parse(std::string_view text);  // "3" or "75%"
};

bool session_succeeded(const SuccessThreshold& t, int joined, int done);

}  // namespace castline::multicast
