#pragma once
// When a session starts, who counts as a participant, who is late when its time limit passes,
// and whether it succeeded. Pure functions of states, counts and times so each rule is tested on
// its own.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace castline::multicast {

enum class LatePolicy { wait, unicast, drop };

// A receiver's state on the sender. `left`: it joined but went away (connection lost, left,
// failed, dropped) before the session started; it counts for nothing, so a machine that
// rebooted while waiting and joins again is one participant, not two.
enum class ClientState { authenticating, joined, receiving, unicast, done, failed, dropped, left };

const char* state_name(ClientState s);

// Joined and not yet done, failed, dropped or gone.
bool active(ClientState s);

// The state a receiver ends in when it fails or is dropped: before the start it has only left.
ClientState departure_state(ClientState wanted, bool session_started);

// Receivers that count for the start rule (`clients`, `min_clients`) and for `max_clients`:
// the active ones.
int participants(std::span<const ClientState> states);

// Receivers that count for the result: every one that joined and took part in the run.
int result_joined(std::span<const ClientState> states);

struct StartRule {
    int clients = 0;  // start when this many have joined (0: not by count)
    int min_clients = 0;
    std::chrono::seconds max_wait{0};  // with min_clients: start after this long
    bool manual = false;               // only by hand
};

// joined: participants(). A connection still authenticating does not count, so a lost reply
// cannot leave a phantom participant.
bool should_start(const StartRule& rule, int joined, std::chrono::steady_clock::duration waited,
                  bool started_by_hand);

// What `start` by hand does. With nobody joined it is refused rather than remembered: an armed
// session would start with the next single receiver, ignoring its rule.
enum class ManualStart { start, nobody_joined, not_waiting };
ManualStart manual_start(bool started, int joined);

// How many receivers the start rule waits for (0: none by count; it starts by hand only, or
// with the first).
int start_target(const StartRule& rule);

// What a waiting receiver tells its operator, from what the sender told it.
std::string waiting_text(int joined, int wanted, bool by_hand_only);

// The success threshold: at least `count` receivers, or `percent` of those that joined.
struct SuccessThreshold {
    int count = 0;                                                        // > 0: absolute
    double percent = 100;                                                 // used when count == 0
    static std::optional<SuccessThreshold> parse(std::string_view text);  // "3" or "75%"
};

bool session_succeeded(const SuccessThreshold& t, int joined, int done);

}  // namespace castline::multicast
