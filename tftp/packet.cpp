#include "tftp/packet.hpp"

#include <array>
#include <cctype>

namespace castline::tftp {
namespace {

class Reader {
  public:
    explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    std::size_t offset() const { return offset_; }
    std::size_t remaining() const { return bytes_.size() - offset_; }
    bool at_end() const { return offset_ == bytes_.size(); }

    bool u16(std::uint16_t& out) {
        if (remaining() < 2) return false;
        out = static_cast<std::uint16_t>(bytes_[offset_] << 8 | bytes_[offset_ + 1]);
        offset_ += 2;
        return true;
    }

    // A NUL-terminated string; fails (leaving the offset) when unterminated or too long.
    enum class StringStatus { ok, unterminated, too_long };
    StringStatus cstring(std::string& out) {
        for (std::size_t i = offset_; i < bytes_.size(); ++i) {
            if (bytes_[i] != 0) continue;
            if (i - offset_ > max_string_length) return StringStatus::too_long;
            out.assign(reinterpret_cast<const char*>(bytes_.data() + offset_), i - offset_);
            offset_ = i + 1;
            return StringStatus::ok;
        }
        return remaining() > max_string_length ? StringStatus::too_long
                                               : StringStatus::unterminated;
    }

    std::span<const std::uint8_t> rest() {
        auto r = bytes_.subspan(offset_);
        offset_ = bytes_.size();
        return r;
    }

  private:
    std::span<const std::uint8_t> bytes_;
    std::size_t offset_ = 0;
};

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

DecodeResult fail(std::string field, std::size_t offset, std::string problem) {
    return {DecodeError{std::move(field), offset, std::move(problem)}};
}

// Reads one string field, naming it in the error.
bool read_field(Reader& r, std::string& out, const std::string& field, DecodeResult& error) {
    const auto at = r.offset();
    switch (r.cstring(out)) {
        case Reader::StringStatus::ok:
            return true;
        case Reader::StringStatus::unterminated:
            error = fail(field, at, "not terminated by a NUL byte");
            return false;
        case Reader::StringStatus::too_long:
            error = fail(field, at, "longer than " + std::to_string(max_string_length) + " bytes");
            return false;
    }
    return false;
}

// Option name/value pairs until the end of the datagram (RFC 2347).
bool read_options(Reader& r, std::vector<Option>& options, DecodeResult& error) {
    while (!r.at_end()) {
        if (options.size() == max_options) {
            error = fail("options", r.offset(),
                         "more than " + std::to_string(max_options) + " options");
            return false;
        }
        Option option;
        const auto index = std::to_string(options.size());
        if (!read_field(r, option.name, "option[" + index + "].name", error)) return false;
        if (option.name.empty()) {
            error = fail("option[" + index + "].name", r.offset() - 1, "empty option name");
            return false;
        }
        if (!read_field(r, option.value, "option[" + index + "].value", error)) return false;
        option.name = lower(std::move(option.name));
        options.push_back(std::move(option));
    }
    return true;
}

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

void put_string(std::vector<std::uint8_t>& out, std::string_view s) {
    out.insert(out.end(), s.begin(), s.end());
    out.push_back(0);
}

}  // namespace

std::string DecodeError::to_string() const {
    return field + " at byte " + std::to_string(offset) + ": " + problem;
}

std::string_view opcode_name(Opcode opcode) {
    switch (opcode) {
        case Opcode::rrq:
            return "RRQ";
        case Opcode::wrq:
            return "WRQ";
        case Opcode::data:
            return "DATA";
        case Opcode::ack:
            return "ACK";
        case Opcode::error:
            return "ERROR";
        case Opcode::oack:
            return "OACK";
    }
    return "?";
}

DecodeResult decode(std::span<const std::uint8_t> datagram) {
    Reader r(datagram);
    std::uint16_t op = 0;
    if (!r.u16(op)) return fail("opcode", 0, "datagram shorter than 2 bytes");
    DecodeResult error{DecodeError{}};
    switch (static_cast<Opcode>(op)) {
        case Opcode::rrq:
        case Opcode::wrq: {
            Request request;
            request.opcode = static_cast<Opcode>(op);
            if (!read_field(r, request.filename, "filename", error)) return error;
            if (!read_field(r, request.mode, "mode", error)) return error;
            request.mode = lower(std::move(request.mode));
            if (!read_options(r, request.options, error)) return error;
            return {Packet{std::move(request)}};
        }
        case Opcode::data: {
            Data data;
            if (!r.u16(data.block)) return fail("block", 2, "DATA shorter than 4 bytes");
            const auto payload = r.rest();
            data.payload.assign(payload.begin(), payload.end());
            return {Packet{std::move(data)}};
        }
        case Opcode::ack: {
            Ack ack;
            if (!r.u16(ack.block)) return fail("block", 2, "ACK shorter than 4 bytes");
            // Some clients pad ACKs; trailing bytes carry nothing and are ignored.
            return {Packet{ack}};
        }
        case Opcode::error: {
            Error e;
            std::uint16_t code = 0;
            if (!r.u16(code)) return fail("error_code", 2, "ERROR shorter than 4 bytes");
            e.code = static_cast<ErrorCode>(code);
            // Clients (EDK2 among them) sometimes omit the message's NUL; keep what is there.
            if (r.at_end()) return {Packet{std::move(e)}};
            const auto at = r.offset();
            if (r.cstring(e.message) != Reader::StringStatus::ok) {
                const auto rest = r.rest();
                if (rest.size() > max_string_length)
                    return fail("error_message", at,
                                "longer than " + std::to_string(max_string_length) + " bytes");
                e.message.assign(reinterpret_cast<const char*>(rest.data()), rest.size());
            }
            return {Packet{std::move(e)}};
        }
        case Opcode::oack: {
            OptionAck oack;
            if (!read_options(r, oack.options, error)) return error;
            return {Packet{std::move(oack)}};
        }
    }
    return fail("opcode", 0, "unknown opcode " + std::to_string(op));
}

std::vector<std::uint8_t> encode(const Packet& packet) {
    std::vector<std::uint8_t> out;
    std::visit(
        [&out](const auto& p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, Request>) {
                put_u16(out, static_cast<std::uint16_t>(p.opcode));
                put_string(out, p.filename);
                put_string(out, p.mode);
                for (const auto& o : p.options) {
                    put_string(out, o.name);
                    put_string(out, o.value);
                }
            } else if constexpr (std::is_same_v<T, Data>) {
                put_u16(out, static_cast<std::uint16_t>(Opcode::data));
                put_u16(out, p.block);
                out.insert(out.end(), p.payload.begin(), p.payload.end());
            } else if constexpr (std::is_same_v<T, Ack>) {
                put_u16(out, static_cast<std::uint16_t>(Opcode::ack));
                put_u16(out, p.block);
            } else if constexpr (std::is_same_v<T, Error>) {
                put_u16(out, static_cast<std::uint16_t>(Opcode::error));
                put_u16(out, static_cast<std::uint16_t>(p.code));
                put_string(out, p.message);
            } else {
                put_u16(out, static_cast<std::uint16_t>(Opcode::oack));
                for (const auto& o : p.options) {
                    put_string(out, o.name);
                    put_string(out, o.value);
                }
            }
        },
        packet);
    return out;
}

}  // namespace castline::tftp
