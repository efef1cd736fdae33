#pragma once
// Control messages between sender and receivers over TCP. Each frame is a u32 big-endian length
// of what follows, a u8 message type and the body. Layouts in docs/multicast.md.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "multicast/auth.hpp"

namespace castline::multicast {

// The hello's version. 3: control frames are authenticated (docs/adr/0055); a sender refuses
// every other version, naming both.
constexpr std::uint16_t protocol_version = 3;
constexpr std::uint32_t max_control_frame = 64u << 20;
constexpr std::uint32_t max_manifest_size = 48u << 20;
constexpr std::uint32_t max_chunk_count = 1u << 22;
constexpr std::uint32_t max_chunk_size = 256u << 20;
constexpr std::size_t max_name_length = 255;

enum class RefusalReason : std::uint8_t {
    bad_password = 1,
    unknown_session = 2,
    session_full = 3,
    session_started = 4,
    version_mismatch = 5,
    protocol_error = 6,
    too_many_failures = 7,  // failed joins from this address; the message says how long to wait
};
const char* refusal_name(RefusalReason r);

struct Hello {
    std::uint16_t version = protocol_version;
    std::string session_name;
    Nonce client_nonce{};
    std::string client_name;
};
struct Challenge {
    Nonce server_nonce{};
    std::array<std::uint8_t, 16> salt{};
    std::uint32_t iterations = 0;
};
struct Proof {
    Digest proof{};
};
struct Welcome {
    Digest server_proof{};
    std::uint32_t receiver_id = 0;
    std::uint32_t session_id = 0;
    Key wrapped_data_key{};
    std::uint32_t group = 0;  // IPv4, host order
    std::uint16_t data_port = 0;
    std::uint32_t symbol_size = 0;
    bool started = false;    // data already flowing (late join)
    std::uint32_t pass = 0;  // passes completed so far; the receiver's first report answers it
    std::vector<std::uint32_t> chunk_sizes;
    std::vector<std::uint8_t> manifest;
};
struct Refused {
    RefusalReason reason = RefusalReason::protocol_error;
    std::string message;
};
struct Start {};
struct PassEnd {
    std::uint32_t pass = 0;
    std::uint32_t symbols_sent = 0;
};
struct ChunkRange {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    bool operator==(const ChunkRange&) const = default;
};
struct BlockNeed {
    std::uint32_t chunk = 0;
    std::uint16_t block = 0;
    std::uint16_t need = 0;  // symbols still needed to decode the block
    bool operator==(const BlockNeed&) const = default;
};
struct Report {
    bool progress_only = false;  // periodic progress: needs lists are empty and ignored
    std::uint32_t pass = 0;      // the last pass that ended (needs are as of its end)
    std::uint32_t chunks_done = 0;
    std::uint64_t bytes_done = 0;
    std::uint32_t loss_ppm = 0;      // symbols lost in that pass, per million sent
    std::uint32_t backlog = 0;       // decoded chunks waiting to be written
    std::vector<ChunkRange> whole;   // chunks with nothing usable yet
    std::vector<BlockNeed> partial;  // blocks that are partly received
};
struct Done {};
struct Failed {
    std::string reason;
};
struct Leave {
    std::string reason;
};
struct Pause {};
struct Resume {};
struct Drop {
    std::string reason;
};
struct End {
    bool success = false;
    std::string summary;
};
struct ChunkData {  // unicast catch-up
    std::uint32_t chunk = 0;
    std::vector<std::uint8_t> bytes;
};
// Before the start: how far the start rule is, sent when the count of participants changes.
struct Waiting {
    std::uint32_t joined = 0;
    std::uint32_t wanted = 0;  // the start rule's count; 0: none
    bool by_hand_only = false;
};

using ControlMessage =
    std::variant<Hello, Challenge, Proof, Welcome, Refused, Start, PassEnd, Report, Done, Failed,
                 Leave, Pause, Resume, Drop, End, ChunkData, Waiting>;

struct ControlError {
    std::string reason;
};

// A whole frame including its 4-byte length prefix.
std::vector<std::uint8_t> encode_control(const ControlMessage& m);

// Decodes the bytes after the length prefix (type + body). Trailing bytes are an error.
std::variant<ControlMessage, ControlError> decode_control(std::span<const std::uint8_t> frame);

const char* message_name(const ControlMessage& m);

}  // namespace castline::multicast
