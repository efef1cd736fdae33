#include <doctest/doctest.h>

#include "dhcp/message.hpp"
#include "packets.hpp"

using namespace castline;
using namespace castline::dhcp;
using test::raw_header;
using test::raw_packet;

namespace {
std::string error_of(const std::vector<std::uint8_t>& bytes) {
    const auto r = decode(bytes);
    REQUIRE_FALSE(r.message);
    REQUIRE(r.error);
    return r.error->to_string();
}
}  // namespace

TEST_CASE("every fixed field decodes from its offset") {
    auto p = raw_header();
    p[0] = 2;
    p[3] = 3;                  // hops
    p[8] = 0x01, p[9] = 0x02;  // secs
    p[10] = 0x80;              // broadcast flag
    for (int i = 0; i < 4; ++i) {
        p[12 + i] = static_cast<std::uint8_t>(10 + i);
        p[16 + i] = static_cast<std::uint8_t>(20 + i);
        p[20 + i] = static_cast<std::uint8_t>(30 + i);
        p[24 + i] = static_cast<std::uint8_t>(40 + i);
    }
    p[44] = 's', p[45] = 'v';
    p[108] = 'f', p[109] = '.', p[110] = 'k';
    p.insert(p.end(), {53, 1, 1, 255});
    const auto r = decode(p);
    REQUIRE(r.message);
    const auto& m = *r.message;
    CHECK(m.op == 2);
    CHECK(m.htype == 1);
    CHECK(m.hlen == 6);
    CHECK(m.hops == 3);
    CHECK(m.xid == 0x01020304);
    CHECK(m.secs == 0x0102);
    CHECK(m.broadcast_flag());
    CHECK(m.ciaddr.to_string() == "10.11.12.13");
    CHECK(m.yiaddr.to_string() == "20.21.22.23");
    CHECK(m.siaddr.to_string() == "30.31.32.33");
    CHECK(m.giaddr.to_string() == "40.41.42.43");
    CHECK(m.mac()->to_string() == "52:54:00:12:34:56");
    CHECK(m.sname == "sv");
    CHECK(m.file == "f.k");
    CHECK(m.type() == MessageType::discover);
}

TEST_CASE("encode then decode gives the same message") {
    Message m;
    m.op = op_reply;
    m.xid = 0xdeadbeef;
    m.flags = flag_broadcast;
    m.yiaddr = *Ipv4Address::parse("198.18.0.100");
    m.siaddr = *Ipv4Address::parse("198.18.0.1");
    m.set_mac(*MacAddress::parse("52:54:00:00:00:01"));
    m.sname = "castline";
    m.file = std::string(128, 'x');  // exactly full, no NUL
    m.options.set_u8(option::message_type, 2);
    m.options.set_address(option::server_identifier, m.siaddr);
    m.options.set(option::vendor_class, {});                // zero-length options survive
    m.options.set(200, std::vector<std::uint8_t>(600, 7));  // split into 3 instances
    const auto bytes = encode(m);
    CHECK(bytes.size() >= minimum_reply_size);
    const auto r = decode(bytes);
    REQUIRE(r.message);
    CHECK(*r.message == m);
}

TEST_CASE("long options are concatenated in order (RFC 3396)") {
    auto p = raw_packet({53, 1, 1, 200, 2, 'a', 'b', 12, 1, 'h', 200, 1, 'c', 255});
    const auto m = decode(p).message;
    REQUIRE(m);
    CHECK(m->options.string(200) == "abc");
    CHECK(m->options.all()[1].code == 200);  // position of the first instance
}

TEST_CASE("overloaded file and sname carry options, file first") {
    auto p = raw_header();
    // file holds 200='f', sname holds 200='s' and a host name
    const std::uint8_t file_opts[] = {200, 1, 'f', 255};
    const std::uint8_t sname_opts[] = {200, 1, 's', 12, 2, 'p', 'c', 255};
    std::copy(std::begin(file_opts), std::end(file_opts), p.begin() + 108);
    std::copy(std::begin(sname_opts), std::end(sname_opts), p.begin() + 44);
    p.insert(p.end(), {53, 1, 3, 52, 1, 3, 200, 1, 'o', 255});
    const auto m = decode(p).message;
    REQUIRE(m);
    CHECK(m->options.string(200) == "ofs");
    CHECK(m->options.string(option::host_name) == "pc");
    CHECK_FALSE(m->options.has(option::overload));  // consumed
    CHECK(m->sname.empty());
    CHECK(m->file.empty());
    // And it re-encodes without overload into an equal message.
    CHECK(decode(encode(*m)).message == *m);
}

TEST_CASE("overload of only sname leaves file as text") {
    auto p = raw_header();
    const std::uint8_t sname_opts[] = {12, 1, 'x', 255};
    std::copy(std::begin(sname_opts), std::end(sname_opts), p.begin() + 44);
    p[108] = 'b';
    p.insert(p.end(), {52, 1, 2, 255});
    const auto m = decode(p).message;
    REQUIRE(m);
    CHECK(m->file == "b");
    CHECK(m->options.string(option::host_name) == "x");
}

TEST_CASE("hostile packets are refused with the field named") {
    CHECK(error_of({}).find("header: truncated: 0 bytes") == 0);
    CHECK(error_of(std::vector<std::uint8_t>(239, 0)).find("header: truncated") == 0);
    auto wrong_cookie = raw_packet({255});
    wrong_cookie[239] = 98;
    CHECK(error_of(wrong_cookie).find("magic cookie") == 0);
    auto bad_op = raw_packet({255});
    bad_op[0] = 3;
    CHECK(error_of(bad_op).find("op:") == 0);
    auto bad_hlen = raw_packet({255});
    bad_hlen[2] = 17;
    CHECK(error_of(bad_hlen).find("hlen:") == 0);
    // length past the end
    CHECK(error_of(raw_packet({53, 1, 1, 60, 9, 'P', 'X'})) ==
          "options[60]: length 9 at offset 3 runs past the end (2 bytes left)");
    // code without a length byte
    CHECK(error_of(raw_packet({53, 1, 1, 60})).find("options[60]: length byte missing") == 0);
    // no END
    CHECK(error_of(raw_packet({53, 1, 1})) == "options: END (255) missing");
    CHECK(error_of(raw_packet({})) == "options: END (255) missing");
    // message type of the wrong size or unknown
    CHECK(error_of(raw_packet({53, 2, 1, 1, 255})).find("options[53] (message type): length 2") ==
          0);
    CHECK(error_of(raw_packet({53, 1, 9, 255})).find("unknown type 9") != std::string::npos);
    CHECK(error_of(raw_packet({53, 0, 255})).find("options[53]") == 0);
    // bad overload values
    CHECK(error_of(raw_packet({52, 1, 4, 255})).find("options[52] (overload)") == 0);
    CHECK(error_of(raw_packet({52, 0, 255})).find("options[52] (overload)") == 0);
}

TEST_CASE("overload can never loop") {
    auto p = raw_header();
    const std::uint8_t file_opts[] = {52, 1, 3, 255};  // file points at itself again
    std::copy(std::begin(file_opts), std::end(file_opts), p.begin() + 108);
    p.insert(p.end(), {52, 1, 1, 255});
    CHECK(error_of(p) == "file[52] (overload): option 52 inside an overloaded field");
    // overloaded file without END
    auto q = raw_header();
    q[108] = 12, q[109] = 1, q[110] = 'x';
    q.insert(q.end(), {52, 1, 1, 255});
    CHECK(error_of(q) == "file: END (255) missing");
}

TEST_CASE("zero-length options and PAD are accepted") {
    auto p = raw_packet({0, 0, 53, 1, 1, 80, 0, 0, 255});
    const auto m = decode(p).message;
    REQUIRE(m);
    REQUIRE(m->options.find(80));
    CHECK(m->options.find(80)->empty());
    CHECK(m->type() == MessageType::discover);
}

TEST_CASE("bytes after END are ignored") {
    const auto m = decode(raw_packet({53, 1, 1, 255, 60, 200})).message;
    REQUIRE(m);
    CHECK_FALSE(m->options.has(option::vendor_class));
}
