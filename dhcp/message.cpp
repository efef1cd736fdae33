#include "dhcp/message.hpp"

#include <algorithm>
#include <initializer_list>

namespace castline::dhcp {

namespace {
constexpr std::array<std::uint8_t, 4> magic_cookie{99, 130, 83, 99};
constexpr std::size_t sname_offset = 44;
constexpr std::size_t sname_size = 64;
constexpr std::size_t file_offset = 108;
constexpr std::size_t file_size = 128;

std::uint32_t read_u32(std::span<const std::uint8_t> b, std::size_t at) {
    return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
           std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}
std::uint16_t read_u16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}
void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}
void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}
std::string text_field(std::span<const std::uint8_t> field) {
    const auto nul = std::find(field.begin(), field.end(), std::uint8_t{0});
    return std::string(field.begin(), nul);
}
void put_text(std::vector<std::uint8_t>& out, const std::string& text, std::size_t size) {
    const std::size_t n = std::min(text.size(), size);
    out.insert(out.end(), text.begin(), text.begin() + static_cast<long>(n));
    out.insert(out.end(), size - n, 0);
}
DecodeResult fail(std::string field, std::string problem) {
    return {std::nullopt, DecodeError{std::move(field), std::move(problem)}};
}
}  // namespace

const char* message_type_name(MessageType type) {
    switch (type) {
        case MessageType::discover:
            return "DISCOVER";
        case MessageType::offer:
            return "OFFER";
        case MessageType::request:
            return "REQUEST";
        case MessageType::decline:
            return "DECLINE";
        case MessageType::ack:
            return "ACK";
        case MessageType::nak:
            return "NAK";
        case MessageType::release:
            return "RELEASE";
        case MessageType::inform:
            return "INFORM";
    }
    return "?";
}

std::optional<MessageType> Message::type() const {
    const auto v = options.u8(option::message_type);
    if (!v || *v < 1 || *v > 8) return std::nullopt;
    return static_cast<MessageType>(*v);
}

std::optional<MacAddress> Message::mac() const {
    if (htype != 1 || hlen != 6) return std::nullopt;
    MacAddress mac;
    std::copy_n(chaddr.begin(), 6, mac.bytes.begin());
    return mac;
}

void Message::set_mac(const MacAddress& m) {
    htype = 1;
    hlen = 6;
    chaddr.fill(0);
    std::copy(m.bytes.begin(), m.bytes.end(), chaddr.begin());
}

DecodeResult decode(std::span<const std::uint8_t> b) {
    if (b.size() < fixed_header_size + magic_cookie.size())
        return fail("header", "truncated: " + std::to_string(b.size()) +
                                  " bytes, a DHCP message needs at least 240");
    if (!std::equal(magic_cookie.begin(), magic_cookie.end(), b.begin() + fixed_header_size))
        return fail("magic cookie", "not 99.130.83.99 (BOOTP without DHCP is not served)");
    Message m;
    m.op = b[0];
    if (m.op != op_request && m.op != op_reply)
        return fail("op", "value " + std::to_string(m.op) + " is neither 1 nor 2");
    m.htype = b[1];
    m.hlen = b[2];
    if (m.hlen > 16) return fail("hlen", "value " + std::to_string(m.hlen) + " exceeds 16");
    m.hops = b[3];
    m.xid = read_u32(b, 4);
    m.secs = read_u16(b, 8);
    m.flags = read_u16(b, 10);
    m.ciaddr = {read_u32(b, 12)};
    m.yiaddr = {read_u32(b, 16)};
    m.siaddr = {read_u32(b, 20)};
    m.giaddr = {read_u32(b, 24)};
    std::copy_n(b.begin() + 28, 16, m.chaddr.begin());

    const auto area = b.subspan(fixed_header_size + magic_cookie.size());
    if (auto error = read_options(area, "options", Framing::main, m.options))
        return {std::nullopt, std::move(error)};

    const auto sname = b.subspan(sname_offset, sname_size);
    const auto file = b.subspan(file_offset, file_size);
    std::uint8_t overload = 0;
    if (const auto* v = m.options.find(option::overload)) {
        if (v->size() != 1 || (*v)[0] < 1 || (*v)[0] > 3)
            return fail(option_field_name(option::overload),
                        "must be one byte 1 (file), 2 (sname) or 3 (both)");
        overload = (*v)[0];
        m.options.erase(option::overload);
    }
    // RFC 2131 4.1: the options field first, then file, then sname. Options found there are
    // read once; an option 52 among them is an error, so overloading can never loop.
    struct Area {
        int bit;
        std::span<const std::uint8_t> bytes;
        const char* name;
    };
    for (const Area& a : {Area{1, file, "file"}, Area{2, sname, "sname"}}) {
        const auto [bit, field, name] = a;
        if ((overload & bit) == 0) continue;
        OptionList extra;
        if (auto error = read_options(field, name, Framing::main, extra))
            return {std::nullopt, std::move(error)};
        if (extra.has(option::overload))
            return fail(std::string(name) + "[52] (overload)",
                        "option 52 inside an overloaded field");
        for (const auto& o : extra.all()) m.options.append(o.code, o.value);
    }
    if ((overload & 2) == 0) m.sname = text_field(sname);
    if ((overload & 1) == 0) m.file = text_field(file);

    if (const auto* v = m.options.find(option::message_type)) {
        if (v->size() != 1)
            return fail(option_field_name(option::message_type),
                        "length " + std::to_string(v->size()) + ", expected 1");
        if ((*v)[0] < 1 || (*v)[0] > 8)
            return fail(option_field_name(option::message_type),
                        "unknown type " + std::to_string((*v)[0]));
    }
    return {std::move(m), std::nullopt};
}

std::vector<std::uint8_t> encode(const Message& m) {
    std::vector<std::uint8_t> out;
    out.reserve(minimum_reply_size + 64);
    out.push_back(m.op);
    out.push_back(m.htype);
    out.push_back(std::min<std::uint8_t>(m.hlen, 16));
    out.push_back(m.hops);
    put_u32(out, m.xid);
    put_u16(out, m.secs);
    put_u16(out, m.flags);
    put_u32(out, m.ciaddr.value);
    put_u32(out, m.yiaddr.value);
    put_u32(out, m.siaddr.value);
    put_u32(out, m.giaddr.value);
    out.insert(out.end(), m.chaddr.begin(), m.chaddr.end());
    put_text(out, m.sname, sname_size);
    put_text(out, m.file, file_size);
    out.insert(out.end(), magic_cookie.begin(), magic_cookie.end());
    write_options(m.options, out);
    out.push_back(option::end);
    if (out.size() < minimum_reply_size) out.resize(minimum_reply_size, option::pad);
    return out;
}

}  // namespace castline::dhcp
