#include "multicast/control.hpp"

#include <algorithm>

#include "multicast/byte_io.hpp"
#include "multicast/fec.hpp"

namespace castline::multicast {
namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

template <std::size_t N>
void fixed(ByteReader& r, std::array<std::uint8_t, N>& out, std::string_view field) {
    const auto b = r.bytes(N, field);
    if (b.size() == N) std::copy(b.begin(), b.end(), out.begin());
}

void write_body(ByteWriter& w, const Hello& m) {
    w.u16(m.version);
    w.text(m.session_name);
    w.bytes(m.client_nonce);
    w.text(m.client_name);
}
void write_body(ByteWriter& w, const Challenge& m) {
    w.bytes(m.server_nonce);
    w.bytes(m.salt);
    w.u32(m.iterations);
}
void write_body(ByteWriter& w, const Proof& m) {
    w.bytes(m.proof);
}
void write_body(ByteWriter& w, const Welcome& m) {
    w.bytes(m.server_proof);
    w.u32(m.receiver_id);
    w.u32(m.session_id);
    w.bytes(m.wrapped_data_key);
    w.u32(m.group);
    w.u16(m.data_port);
    w.u32(m.symbol_size);
    w.u8(m.started ? 1 : 0);
    w.u32(m.pass);
    w.u32(static_cast<std::uint32_t>(m.chunk_sizes.size()));
    for (auto s : m.chunk_sizes) w.u32(s);
    w.blob(m.manifest);
}
void write_body(ByteWriter& w, const Refused& m) {
    w.u8(static_cast<std::uint8_t>(m.reason));
    w.text(m.message);
}
void write_body(ByteWriter&, const Start&) {}
void write_body(ByteWriter& w, const PassEnd& m) {
    w.u32(m.pass);
    w.u32(m.symbols_sent);
}
void write_body(ByteWriter& w, const Report& m) {
    w.u8(m.progress_only ? 1 : 0);
    w.u32(m.pass);
    w.u32(m.chunks_done);
    w.u64(m.bytes_done);
    w.u32(m.loss_ppm);
    w.u32(m.backlog);
    w.u32(static_cast<std::uint32_t>(m.whole.size()));
    for (const auto& r : m.whole) {
        w.u32(r.first);
        w.u32(r.count);
    }
    w.u32(static_cast<std::uint32_t>(m.partial.size()));
    for (const auto& n : m.partial) {
        w.u32(n.chunk);
        w.u16(n.block);
        w.u16(n.need);
    }
}
void write_body(ByteWriter&, const Done&) {}
void write_body(ByteWriter& w, const Failed& m) {
    w.text(m.reason);
}
void write_body(ByteWriter& w, const Leave& m) {
    w.text(m.reason);
}
void write_body(ByteWriter&, const Pause&) {}
void write_body(ByteWriter&, const Resume&) {}
void write_body(ByteWriter& w, const Drop& m) {
    w.text(m.reason);
}
void write_body(ByteWriter& w, const End& m) {
    w.u8(m.success ? 1 : 0);
    w.text(m.summary);
}
void write_body(ByteWriter& w, const ChunkData& m) {
    w.u32(m.chunk);
    w.blob(m.bytes);
}

void write_body(ByteWriter& w, const Waiting& m) {
    w.u32(m.joined);
    w.u32(m.wanted);
    w.u8(m.by_hand_only ? 1 : 0);
}

constexpr std::size_t max_text = 4096;

ControlMessage read_body(ByteReader& r, std::uint8_t type) {
    switch (type) {
        case 0: {
            Hello m;
            m.version = r.u16("hello.version");
            m.session_name = r.text("hello.session_name", max_name_length);
            fixed(r, m.client_nonce, "hello.client_nonce");
            m.client_name = r.text("hello.client_name", max_name_length);
            return m;
        }
        case 1: {
            Challenge m;
            fixed(r, m.server_nonce, "challenge.server_nonce");
            fixed(r, m.salt, "challenge.salt");
            m.iterations = r.u32("challenge.iterations");
            if (r.ok() && (m.iterations == 0 || m.iterations > 10'000'000))
                r.fail("challenge.iterations: " + std::to_string(m.iterations) +
                       " outside 1..10000000");
            return m;
        }
        case 2: {
            Proof m;
            fixed(r, m.proof, "proof.proof");
            return m;
        }
        case 3: {
            Welcome m;
            fixed(r, m.server_proof, "welcome.server_proof");
            m.receiver_id = r.u32("welcome.receiver_id");
            m.session_id = r.u32("welcome.session_id");
            fixed(r, m.wrapped_data_key, "welcome.data_key");
            m.group = r.u32("welcome.group");
            m.data_port = r.u16("welcome.data_port");
            m.symbol_size = r.u32("welcome.symbol_size");
            if (r.ok() && (m.symbol_size < 16 || m.symbol_size > 65000))
                r.fail("welcome.symbol_size: " + std::to_string(m.symbol_size) +
                       " outside 16..65000");
            const auto started = r.u8("welcome.started");
            if (r.ok() && started > 1)
                r.fail("welcome.started: " + std::to_string(started) + " is not 0 or 1");
            m.started = started == 1;
            m.pass = r.u32("welcome.pass");
            const auto count = r.u32("welcome.chunk_count");
            if (r.ok() && (count > max_chunk_count || std::size_t{count} * 4 > r.remaining()))
                r.fail("welcome.chunk_count: " + std::to_string(count) +
                       " is more than the frame holds");
            for (std::uint32_t i = 0; r.ok() && i < count; ++i) {
                const auto size = r.u32("welcome.chunk_sizes");
                if (r.ok() && (size == 0 || size > max_chunk_size))
                    r.fail("welcome.chunk_sizes[" + std::to_string(i) + "]: " +
                           std::to_string(size) + " outside 1.." + std::to_string(max_chunk_size));
                m.chunk_sizes.push_back(size);
            }
            m.manifest = r.blob("welcome.manifest", max_manifest_size);
            return m;
        }
        case 4: {
            Refused m;
            const auto reason = r.u8("refused.reason");
            if (r.ok() && (reason < 1 || reason > 7))
                r.fail("refused.reason: " + std::to_string(reason) + " is unknown");
            m.reason = static_cast<RefusalReason>(reason);
            m.message = r.text("refused.message", max_text);
            return m;
        }
        case 5:
            return Start{};
        case 6: {
            PassEnd m;
            m.pass = r.u32("pass_end.pass");
            m.symbols_sent = r.u32("pass_end.symbols_sent");
            return m;
        }
        case 7: {
            Report m;
            const auto kind = r.u8("report.kind");
            if (r.ok() && kind > 1)
                r.fail("report.kind: " + std::to_string(kind) + " is not 0 or 1");
            m.progress_only = kind == 1;
            m.pass = r.u32("report.pass");
            m.chunks_done = r.u32("report.chunks_done");
            m.bytes_done = r.u64("report.bytes_done");
            m.loss_ppm = r.u32("report.loss_ppm");
            if (r.ok() && m.loss_ppm > 1'000'000)
                r.fail("report.loss_ppm: " + std::to_string(m.loss_ppm) + " exceeds 1000000");
            m.backlog = r.u32("report.backlog");
            const auto whole = r.u32("report.whole_count");
            if (r.ok() && std::size_t{whole} * 8 > r.remaining())
                r.fail("report.whole_count: " + std::to_string(whole) +
                       " is more than the frame holds");
            for (std::uint32_t i = 0; r.ok() && i < whole; ++i) {
                ChunkRange c;
                c.first = r.u32("report.whole.first");
                c.count = r.u32("report.whole.count");
                if (r.ok() && (c.count == 0 || std::uint64_t{c.first} + c.count > max_chunk_count))
                    r.fail("report.whole[" + std::to_string(i) + "]: range " +
                           std::to_string(c.first) + "+" + std::to_string(c.count) +
                           " is empty or too large");
                m.whole.push_back(c);
            }
            const auto partial = r.u32("report.partial_count");
            if (r.ok() && std::size_t{partial} * 8 > r.remaining())
                r.fail("report.partial_count: " + std::to_string(partial) +
                       " is more than the frame holds");
            for (std::uint32_t i = 0; r.ok() && i < partial; ++i) {
                BlockNeed n;
                n.chunk = r.u32("report.partial.chunk");
                n.block = r.u16("report.partial.block");
                n.need = r.u16("report.partial.need");
                if (r.ok() && (n.need == 0 || n.need > max_block_symbols))
                    r.fail("report.partial[" + std::to_string(i) +
                           "].need: " + std::to_string(n.need) + " outside 1.." +
                           std::to_string(max_block_symbols));
                m.partial.push_back(n);
            }
            return m;
        }
        case 8:
            return Done{};
        case 9:
            return Failed{r.text("failed.reason", max_text)};
        case 10:
            return Leave{r.text("leave.reason", max_text)};
        case 11:
            return Pause{};
        case 12:
            return Resume{};
        case 13:
            return Drop{r.text("drop.reason", max_text)};
        case 14: {
            End m;
            const auto success = r.u8("end.success");
            if (r.ok() && success > 1)
                r.fail("end.success: " + std::to_string(success) + " is not 0 or 1");
            m.success = success == 1;
            m.summary = r.text("end.summary", max_text);
            return m;
        }
        case 15: {
            ChunkData m;
            m.chunk = r.u32("chunk_data.chunk");
            m.bytes = r.blob("chunk_data.bytes", max_chunk_size);
            return m;
        }
        case 16: {
            Waiting m;
            m.joined = r.u32("waiting.joined");
            m.wanted = r.u32("waiting.wanted");
            const auto by_hand = r.u8("waiting.by_hand_only");
            if (r.ok() && by_hand > 1)
                r.fail("waiting.by_hand_only: " + std::to_string(by_hand) + " is not 0 or 1");
            m.by_hand_only = by_hand == 1;
            return m;
        }
        default:
            r.fail("type: " + std::to_string(type) + " is unknown");
            return Start{};
    }
}

}  // namespace

const char* refusal_name(RefusalReason r) {
    switch (r) {
        case RefusalReason::bad_password:
            return "bad_password";
        case RefusalReason::unknown_session:
            return "unknown_session";
        case RefusalReason::session_full:
            return "session_full";
        case RefusalReason::session_started:
            return "session_started";
        case RefusalReason::version_mismatch:
            return "version_mismatch";
        case RefusalReason::protocol_error:
            return "protocol_error";
        case RefusalReason::too_many_failures:
            return "too_many_failures";
    }
    return "unknown";
}

std::vector<std::uint8_t> encode_control(const ControlMessage& m) {
    ByteWriter w;
    w.u32(0);
    w.u8(static_cast<std::uint8_t>(m.index()));
    std::visit([&](const auto& body) { write_body(w, body); }, m);
    auto out = w.take();
    const auto length = static_cast<std::uint32_t>(out.size() - 4);
    for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
    return out;
}

std::variant<ControlMessage, ControlError> decode_control(std::span<const std::uint8_t> frame) {
    ByteReader r(frame);
    const auto type = r.u8("type");
    if (!r.ok()) return ControlError{r.error()};
    auto message = read_body(r, type);
    if (r.ok() && !r.at_end())
        r.fail(std::string(message_name(message)) + ": " + std::to_string(r.remaining()) +
               " trailing bytes");
    if (!r.ok()) return ControlError{r.error()};
    return message;
}

const char* message_name(const ControlMessage& m) {
    static constexpr const char* names[] = {
        "hello",    "challenge", "proof", "welcome",    "refused", "start",
        "pass_end", "report",    "done",  "failed",     "leave",   "pause",
        "resume",   "drop",      "end",   "chunk_data", "waiting"};
    return names[m.index()];
}

}  // namespace castline::multicast
