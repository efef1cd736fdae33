#pragma once
// TFTP packets (RFC 1350, options RFC 2347): bytes <-> typed messages, no I/O.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace castline::tftp {

enum class Opcode : std::uint16_t { rrq = 1, wrq = 2, data = 3, ack = 4, error = 5, oack = 6 };

enum class ErrorCode : std::uint16_t {
    not_defined = 0,
    file_not_found = 1,
    access_violation = 2,
    disk_full = 3,
    illegal_operation = 4,
    unknown_transfer_id = 5,
    file_exists = 6,
    no_such_user = 7,
    option_refused = 8,  // RFC 2347
};

// One option as the client sent it: names compare case-insensitively, so they are kept
// lower-cased; the value is kept verbatim.
struct Option {
    std::string name;
    std::string value;
    bool operator==(const Option&) const = default;
};

// RRQ or WRQ.
struct Request {
    Opcode opcode = Opcode::rrq;
    std::string filename;  // as sent, not yet confined
    std::string mode;      // lower-cased: "octet", "netascii" or "mail"
    std::vector<Option> options;
    bool operator==(const Request&) const = default;
};

struct Data {
    std::uint16_t block = 0;
    std::vector<std::uint8_t> payload;
    bool operator==(const Data&) const = default;
};

struct Ack {
    std::uint16_t block = 0;
    bool operator==(const Ack&) const = default;
};

struct Error {
    ErrorCode code = ErrorCode::not_defined;
    std::string message;
    bool operator==(const Error&) const = default;
};

struct OptionAck {
    std::vector<Option> options;
    bool operator==(const OptionAck&) const = default;
};

using Packet = std::variant<Request, Data, Ack, Error, OptionAck>;

// Why a datagram is not a valid packet, and where: byte offset of the offending field.
struct DecodeError {
    std::string field;
    std::size_t offset = 0;
    std::string problem;
    std::string to_string() const;
};

struct DecodeResult {
    std::variant<Packet, DecodeError> value;
    bool ok() const { return value.index() == 0; }
    const Packet& packet() const { return std::get<Packet>(value); }
    const DecodeError& error() const { return std::get<DecodeError>(value); }
};

// The longest filename, mode, option name or value the decoder accepts (bytes, without NUL).
inline constexpr std::size_t max_string_length = 1024;
// The most options one request may carry; more is treated as hostile.
inline constexpr std::size_t max_options = 32;

DecodeResult decode(std::span<const std::uint8_t> datagram);

std::vector<std::uint8_t> encode(const Packet& packet);

// The 4-byte DATA header, for senders that scatter-gather header and payload.
inline std::array<std::uint8_t, 4> data_header(std::uint16_t block) {
    return {0, static_cast<std::uint8_t>(Opcode::data), static_cast<std::uint8_t>(block >> 8),
            static_cast<std::uint8_t>(block & 0xFF)};
}

std::string_view opcode_name(Opcode opcode);

}  // namespace castline::tftp
