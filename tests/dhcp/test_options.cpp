#include <doctest/doctest.h>

#include "dhcp/options.hpp"

using namespace castline;
using namespace castline::dhcp;

TEST_CASE("typed option reads check the length") {
    OptionList o;
    o.set_u32(option::lease_time, 3600);
    o.set_address(option::router, *Ipv4Address::parse("198.18.0.1"));
    o.set(option::message_type, {1, 2});
    CHECK(o.u32(option::lease_time) == 3600);
    CHECK(o.address(option::router)->to_string() == "198.18.0.1");
    CHECK_FALSE(o.u8(option::message_type));  // 2 bytes, not 1
    CHECK_FALSE(o.u32(option::message_type));
    CHECK_FALSE(o.string(option::host_name));
}

TEST_CASE("set keeps the position, append concatenates") {
    OptionList o;
    o.set_string(60, "a");
    o.set_string(61, "b");
    o.set_string(60, "c");
    o.append(61, std::vector<std::uint8_t>{'d'});
    REQUIRE(o.all().size() == 2);
    CHECK(o.all()[0].code == 60);
    CHECK(o.string(60) == "c");
    CHECK(o.string(61) == "bd");
    o.erase(60);
    CHECK(o.all().size() == 1);
}

TEST_CASE("values over 255 bytes are written as several instances") {
    OptionList o;
    o.set(43, std::vector<std::uint8_t>(300, 1));
    std::vector<std::uint8_t> out;
    write_options(o, out);
    REQUIRE(out.size() == 2 + 255 + 2 + 45);
    CHECK(out[0] == 43);
    CHECK(out[1] == 255);
    CHECK(out[257] == 43);
    CHECK(out[258] == 45);
    OptionList back;
    CHECK_FALSE(read_options(out, "options", Framing::encapsulated, back));
    CHECK(back == o);
}

TEST_CASE("relay sub-options have no PAD or END") {
    // code 0 and code 255 are ordinary sub-options inside option 82
    const std::vector<std::uint8_t> bytes{0, 1, 'a', 255, 1, 'b'};
    OptionList sub;
    CHECK_FALSE(read_options(bytes, "options[82]", Framing::relay, sub));
    CHECK(sub.string(0) == "a");
    CHECK(sub.string(255) == "b");
    OptionList again;
    const auto error =
        read_options(std::vector<std::uint8_t>{1, 5, 'a'}, "options[82]", Framing::relay, again);
    REQUIRE(error);
    CHECK(error->field == "options[82][1]");
}
