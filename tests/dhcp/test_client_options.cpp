#include <doctest/doctest.h>

#include "dhcp/client_options.hpp"

using namespace castline;
using namespace castline::dhcp;

namespace {
Message pxe_request(std::uint16_t architecture) {
    Message m;
    m.set_mac(*MacAddress::parse("52:54:00:00:00:07"));
    m.options.set_u8(option::message_type, 1);
    m.options.set_string(option::vendor_class, "PXEClient:Arch:00007:UNDI:003016");
    m.options.set(option::client_architecture, {static_cast<std::uint8_t>(architecture >> 8),
                                                static_cast<std::uint8_t>(architecture)});
    m.options.set(option::client_network_interface, {1, 3, 16});
    std::vector<std::uint8_t> uuid{0};
    for (std::uint8_t i = 0; i < 16; ++i) uuid.push_back(i);
    m.options.set(option::client_machine_id, uuid);
    return m;
}
}  // namespace

TEST_CASE("a UEFI PXE request is described") {
    const auto d = describe_client(pxe_request(arch::efi_bc));
    CHECK(d.pxe);
    CHECK_FALSE(d.http);
    CHECK(d.is_boot_client());
    CHECK(d.architecture == arch::efi_bc);
    REQUIRE(d.uuid);
    CHECK(uuid_to_string(*d.uuid) == "00010203-0405-0607-0809-0a0b0c0d0e0f");
    CHECK_FALSE(d.ipxe);
    CHECK(d.mac->to_string() == "52:54:00:00:00:07");
}

TEST_CASE("HTTPClient is a boot client") {
    auto m = pxe_request(arch::efi_x64_http);
    m.options.set_string(option::vendor_class, "HTTPClient:Arch:00016:UNDI:003000");
    const auto d = describe_client(m);
    CHECK(d.http);
    CHECK(d.is_boot_client());
}

TEST_CASE("a request without PXEClient is not a boot client") {
    Message m;
    m.options.set_string(option::vendor_class, "udhcp 1.35.0");
    CHECK_FALSE(describe_client(m).is_boot_client());
    CHECK_FALSE(describe_client(Message{}).is_boot_client());
}

TEST_CASE("malformed 93, 94 or 97 makes a request not PXE, and names the option") {
    auto m = pxe_request(0);
    m.options.set(option::client_machine_id, {0, 1, 2});
    auto d = describe_client(m);
    CHECK_FALSE(d.is_boot_client());
    REQUIRE(d.malformed);
    CHECK(d.malformed->to_string() == "options[97] (client machine id): length 3, expected 17");

    m = pxe_request(0);
    auto uuid = *m.options.find(option::client_machine_id);
    uuid[0] = 1;
    m.options.set(option::client_machine_id, uuid);
    CHECK(describe_client(m).malformed->problem == "type 1, expected 0 (UUID)");

    m = pxe_request(0);
    m.options.set(option::client_architecture, {0, 0, 7});
    CHECK(describe_client(m).malformed->field == "options[93] (client architecture)");
    m.options.set(option::client_architecture, {});
    CHECK_FALSE(describe_client(m).is_boot_client());

    m = pxe_request(0);
    m.options.set(option::client_network_interface, {1, 2});
    CHECK(describe_client(m).malformed->field == "options[94] (client network interface)");

    m = pxe_request(0);
    m.options.set(option::ipxe_encapsulated, {19, 5, 1});
    CHECK(describe_client(m).malformed->field == "options[175][19]");
}

TEST_CASE("several architectures: the first one counts") {
    auto m = pxe_request(0);
    m.options.set(option::client_architecture, {0, 9, 0, 7});
    CHECK(client_architectures(m.options).value == std::vector<std::uint16_t>{9, 7});
    CHECK(describe_client(m).architecture == 9);
}

TEST_CASE("user class: RFC 3004 instances and iPXE's plain string") {
    OptionList o;
    o.set_string(option::user_class, "iPXE");
    CHECK(user_classes(o) == std::vector<std::string>{"iPXE"});
    o.set(option::user_class, {4, 'i', 'P', 'X', 'E', 3, 'a', 'b', 'c'});
    CHECK(user_classes(o) == std::vector<std::string>{"iPXE", "abc"});
    o.set(option::user_class, {5, 'a', 'b'});  // instance past the end: a plain string
    CHECK(user_classes(o).size() == 1);
    o.set(option::user_class, {});
    CHECK(user_classes(o).empty());

    auto m = pxe_request(0);
    m.options.set(option::user_class, {4, 'i', 'P', 'X', 'E'});
    CHECK(describe_client(m).ipxe);
    m.options.set_string(option::user_class, "iPXE");
    CHECK(describe_client(m).ipxe);
}

TEST_CASE("option 175 marks iPXE and its sub-options decode") {
    auto m = pxe_request(0);
    m.options.set(option::ipxe_encapsulated, {19, 1, 1, 235, 1, 1, 255});
    const auto d = describe_client(m);
    CHECK(d.ipxe);
    const auto sub = encapsulated(m.options, option::ipxe_encapsulated);
    REQUIRE(sub.value);
    CHECK(sub.value->u8(19) == 1);  // pxeext
    CHECK(sub.value->u8(235) == 1);
}

TEST_CASE("PXE vendor options and relay information") {
    OptionList o;
    o.set(option::vendor_specific, pxe_vendor_options(8));
    const auto sub = encapsulated(o, option::vendor_specific);
    REQUIRE(sub.value);
    CHECK(sub.value->u8(pxe_suboption::discovery_control) == 8);

    o.set(option::relay_agent_information, {1, 3, 'e', 't', 'h', 2, 2, 0xaa, 0xbb});
    const auto relay = relay_agent_information(o);
    REQUIRE(relay.value);
    CHECK(relay.value->string(1) == "eth");
    o.set(option::relay_agent_information, {1, 9, 'e'});
    CHECK(relay_agent_information(o).error->field == "options[82][1]");
}
