#include "multicast/resolver_codec.hpp"

#include "multicast/byte_io.hpp"
#include "multicast/control.hpp"

namespace castline::multicast {
namespace {
constexpr std::uint32_t query_magic = 0x434C7271;   // "CLrq"
constexpr std::uint32_t answer_magic = 0x434C7261;  // "CLra"
constexpr std::uint8_t resolver_version = 1;
}  // namespace

std::vector<std::uint8_t> encode_resolver(const ResolverQuery& q) {
    ByteWriter w;
    w.u32(query_magic);
    w.u8(resolver_version);
    w.text(q.name);
    return w.take();
}

std::vector<std::uint8_t> encode_resolver(const ResolverAnswer& a) {
    ByteWriter w;
    w.u32(answer_magic);
    w.u8(resolver_version);
    w.text(a.name);
    w.u16(a.control_port);
    w.u32(a.group);
    w.u16(a.data_port);
    return w.take();
}

std::variant<ResolverQuery, ResolverAnswer, ResolverError> decode_resolver(
    std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes);
    const auto magic = r.u32("magic");
    const auto version = r.u8("version");
    if (!r.ok()) return ResolverError{r.error()};
    if (magic != query_magic && magic != answer_magic)
        return ResolverError{"magic: not CLrq or CLra"};
    if (version != resolver_version)
        return ResolverError{"version: " + std::to_string(version) + " is not supported"};
    std::string name = r.text("name", max_name_length);
    if (r.ok() && name.empty()) r.fail("name: empty");
    if (magic == query_magic) {
        if (r.ok() && !r.at_end()) r.fail("query: trailing bytes");
        if (!r.ok()) return ResolverError{r.error()};
        return ResolverQuery{std::move(name)};
    }
    ResolverAnswer a;
    a.name = std::move(name);
    a.control_port = r.u16("control_port");
    a.group = r.u32("group");
    a.data_port = r.u16("data_port");
    if (r.ok() && a.control_port == 0) r.fail("control_port: 0");
    if (r.ok() && !r.at_end()) r.fail("answer: trailing bytes");
    if (!r.ok()) return ResolverError{r.error()};
    return a;
}

}  // namespace castline::multicast
