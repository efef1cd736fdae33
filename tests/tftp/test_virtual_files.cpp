#include <doctest/doctest.h>

#include "tftp/virtual_files.hpp"

using namespace castline;
using namespace castline::tftp;

TEST_CASE("exact names, longest prefix, fall-through and the MAC lookup") {
    VirtualFiles files;
    const auto client = *Ipv4Address::parse("198.18.0.10");
    files.add("boot.ipxe", [](const VirtualFileRequest& r) -> std::optional<std::string> {
        return "#!ipxe\necho " + r.client.to_string() + " " +
               (r.mac ? r.mac->to_string() : std::string("?")) + "\n";
    });
    files.add("hosts/", [](const VirtualFileRequest& r) -> std::optional<std::string> {
        return "generic " + r.path;
    });
    files.add("hosts/special/", [](const VirtualFileRequest& r) -> std::optional<std::string> {
        if (r.path == "hosts/special/none") return std::nullopt;
        return "special " + r.path;
    });
    CHECK(files.find("boot.ipxe", client) == "#!ipxe\necho 198.18.0.10 ?\n");
    CHECK(files.find("hosts/a", client) == "generic hosts/a");
    CHECK(files.find("hosts/special/b", client) == "special hosts/special/b");
    CHECK_FALSE(files.find("hosts/special/none", client));
    CHECK_FALSE(files.find("hosts/", client));
    CHECK_FALSE(files.find("other", client));

    files.set_mac_lookup([](Ipv4Address) { return MacAddress::parse("52:54:00:00:00:01"); });
    CHECK(files.find("boot.ipxe", client) == "#!ipxe\necho 198.18.0.10 52:54:00:00:00:01\n");
    files.remove("boot.ipxe");
    CHECK_FALSE(files.find("boot.ipxe", client));
}
