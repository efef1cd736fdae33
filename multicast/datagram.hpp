#pragma once
// The multicast data datagram: one FEC symbol of one block of one chunk, authenticated with a
// truncated HMAC-SHA256 under the session's data key. Layout in docs/multicast.md.
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "multicast/auth.hpp"

namespace castline::multicast {

constexpr std::uint16_t datagram_magic = 0x434C;  // "CL"
constexpr std::uint8_t datagram_version = 3;
// 24 bytes of header and an 8-byte tag leave a 1440-byte symbol in a 1500-byte MTU (docs/adr/0053);
// version 3 widened the symbol index to 16 bits (docs/adr/0054).
constexpr std::size_t datagram_header_size = 24;
constexpr std::size_t datagram_overhead = datagram_header_size + DatagramAuthenticator::tag_size;

enum class DatagramType : std::uint8_t { symbol = 1 };

struct SymbolDatagram {
    std::uint32_t session_id = 0;
    std::uint32_t sequence = 0;  // datagrams sent before this one in the session; gaps = loss
    std::uint32_t pass = 0;
    std::uint32_t chunk = 0;
    std::uint16_t block = 0;
    std::uint16_t symbol = 0;               // < k: source symbol; >= k: parity symbol
    std::span<const std::uint8_t> payload;  // points into the decoded buffer
};

struct DatagramError {
    std::string reason;  // names the field, e.g. "magic: 0x... is not CL"
};

// Appends header, payload and tag to out (cleared first).
void encode_datagram(const SymbolDatagram& d, DatagramAuthenticator& auth,
                     std::vector<std::uint8_t>& out);

// Parses the fields only; says nothing about authenticity. Used by the fuzz target and by
// decode_datagram.
std::variant<SymbolDatagram, DatagramError> parse_datagram(std::span<const std::uint8_t> bytes);

// Parses, checks the session id, then the tag. A datagram that fails any check is an error and
// must be dropped.
std::variant<SymbolDatagram, DatagramError> decode_datagram(std::span<const std::uint8_t> bytes,
                                                            std::uint32_t expected_session,
                                                            DatagramAuthenticator& auth);

}  // namespace castline::multicast
