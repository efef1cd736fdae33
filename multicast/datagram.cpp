#include "multicast/datagram.hpp"

#include <cstdio>

#include "multicast/byte_io.hpp"

namespace castline::multicast {
namespace {
// A field's value in hex, zero-padded to the field's width.
std::string hex(std::uint32_t v, int digits) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%0*x", digits, v);
    return buf;
}
}  // namespace

void encode_datagram(const SymbolDatagram& d, DatagramAuthenticator& auth,
                     std::vector<std::uint8_t>& out) {
    ByteWriter w;
    w.data().swap(out);
    w.data().clear();
    w.data().reserve(datagram_overhead + d.payload.size());
    w.u16(datagram_magic);
    w.u8(datagram_version);
    w.u8(static_cast<std::uint8_t>(DatagramType::symbol));
    w.u32(d.session_id);
    w.u32(d.sequence);
    w.u32(d.pass);
    w.u32(d.chunk);
    w.u16(d.block);
    w.u16(d.symbol);
    w.bytes(d.payload);
    const auto tag = auth.tag(w.data());
    w.bytes(tag);
    out = w.take();
}

std::variant<SymbolDatagram, DatagramError> parse_datagram(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < datagram_overhead)
        return DatagramError{"length: " + std::to_string(bytes.size()) +
                             " bytes is shorter than header and tag (" +
                             std::to_string(datagram_overhead) + ")"};
    ByteReader r(bytes.first(bytes.size() - DatagramAuthenticator::tag_size));
    SymbolDatagram d;
    const auto magic = r.u16("magic");
    if (magic != datagram_magic) return DatagramError{"magic: " + hex(magic, 4) + " is not CL"};
    const auto version = r.u8("version");
    // Version 1 began "CLmc": name it, so a receiver next to an old sender says why it hears
    // nothing.
    if (version == 'm' && bytes[3] == 'c')
        return DatagramError{"version: 1 (CLmc) is not supported, this receiver speaks " +
                             std::to_string(datagram_version)};
    if (version != datagram_version)
        return DatagramError{"version: " + std::to_string(version) +
                             " is not supported, this receiver speaks " +
                             std::to_string(datagram_version)};
    const auto type = r.u8("type");
    if (type != static_cast<std::uint8_t>(DatagramType::symbol))
        return DatagramError{"type: " + std::to_string(type) + " is unknown"};
    d.session_id = r.u32("session_id");
    d.sequence = r.u32("sequence");
    d.pass = r.u32("pass");
    d.chunk = r.u32("chunk");
    d.block = r.u16("block");
    d.symbol = r.u16("symbol");
    d.payload = r.rest();
    if (d.payload.empty()) return DatagramError{"payload: empty"};
    return d;
}

std::variant<SymbolDatagram, DatagramError> decode_datagram(std::span<const std::uint8_t> bytes,
                                                            std::uint32_t expected_session,
                                                            DatagramAuthenticator& auth) {
    auto parsed = parse_datagram(bytes);
    if (auto* d = std::get_if<SymbolDatagram>(&parsed)) {
        if (d->session_id != expected_session)
            return DatagramError{"session_id: " + hex(d->session_id, 8) + " is not this session (" +
                                 hex(expected_session, 8) + ")"};
        const auto body = bytes.first(bytes.size() - DatagramAuthenticator::tag_size);
        const auto tag = bytes.last(DatagramAuthenticator::tag_size);
        if (!auth.verify(body, tag))
            return DatagramError{"tag: authentication failed (chunk " + std::to_string(d->chunk) +
                                 ", block " + std::to_string(d->block) + ")"};
    }
    return parsed;
}

}  // namespace castline::multicast
