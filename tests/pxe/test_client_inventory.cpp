#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "pxe/client_inventory.hpp"

using namespace castline;
using namespace castline::pxe;

namespace {
std::filesystem::path temp_dir() {
    auto dir = std::filesystem::temp_directory_path() /
               ("castline-inventory-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}
ClientRecord sighting(const char* mac, std::int64_t when) {
    return {*MacAddress::parse(mac), 7, "PXEClient:Arch:00007", "uuid-1", "lab0", 0, when};
}
}  // namespace

TEST_CASE("first and last seen; new facts are reported as changes") {
    ClientInventory inv;
    CHECK(inv.record(sighting("52:54:00:00:00:01", 100)));
    CHECK_FALSE(inv.record(sighting("52:54:00:00:00:01", 200)));  // only last_seen moved
    auto moved = sighting("52:54:00:00:00:01", 300);
    moved.interface = "lab1";
    CHECK(inv.record(moved));
    const auto* r = inv.find(*MacAddress::parse("52:54:00:00:00:01"));
    REQUIRE(r);
    CHECK(r->first_seen == 100);
    CHECK(r->last_seen == 300);
    CHECK(r->interface == "lab1");
}

TEST_CASE("saved inventory loads back; bad lines are skipped, hostile text is neutralised") {
    const auto dir = temp_dir();
    const auto file = dir / "clients.tsv";
    ClientInventory inv;
    auto a = sighting("52:54:00:00:00:01", 100);
    a.vendor_class = "evil\tvendor\nclass";
    inv.record(a);
    auto b = sighting("52:54:00:00:00:02", 150);
    b.architecture.reset();
    b.uuid.clear();
    inv.record(b);
    REQUIRE(inv.save(file));
    CHECK_FALSE(inv.dirty());
    CHECK(std::distance(std::filesystem::directory_iterator(dir), {}) == 1);  // no temp file
    {
        std::ofstream out(file, std::ios::app);
        out << "not a line\n52:54:00:00:00:03\t99999999\tx\t-\tlab0\t1\t2\n";
    }
    std::size_t skipped = 0;
    const auto back = ClientInventory::load(file, &skipped);
    CHECK(skipped == 2);
    REQUIRE(back.all().size() == 2);
    CHECK(back.find(a.mac)->vendor_class == "evil?vendor?class");
    CHECK_FALSE(back.find(b.mac)->architecture);
    CHECK(back.find(b.mac)->uuid.empty());
    std::filesystem::remove_all(dir);
}

TEST_CASE("an ACK's address goes to a known client only, and survives its next request") {
    ClientInventory inv;
    const auto mac = *MacAddress::parse("52:54:00:00:00:01");
    const auto address = *Ipv4Address::parse("198.18.0.120");
    const auto server = *Ipv4Address::parse("198.18.0.2");
    // An ACK does not say whether its client boots from the network: unknown MACs stay out.
    CHECK_FALSE(inv.record_address(mac, address, server, 100));
    CHECK(inv.all().empty());

    inv.record(sighting("52:54:00:00:00:01", 100));
    CHECK(inv.record_address(mac, address, server, 110));
    CHECK_FALSE(inv.record_address(mac, address, server, 120));  // nothing new
    CHECK(inv.find(mac)->last_seen == 120);
    CHECK_FALSE(inv.record(sighting("52:54:00:00:00:01", 130)));  // a request carries no address
    const auto* r = inv.find(mac);
    REQUIRE(r);
    CHECK(r->address == address);
    CHECK(r->server == server);
    CHECK(r->last_seen == 130);
    CHECK(inv.record_address(mac, *Ipv4Address::parse("198.18.0.121"), server, 140));
    CHECK(inv.find(mac)->address == Ipv4Address::parse("198.18.0.121"));
}

TEST_CASE("address and server are saved; files from before those columns still load") {
    const auto dir = temp_dir();
    const auto file = dir / "clients.tsv";
    ClientInventory inv;
    inv.record(sighting("52:54:00:00:00:01", 100));
    inv.record(sighting("52:54:00:00:00:02", 100));
    inv.record_address(*MacAddress::parse("52:54:00:00:00:01"), *Ipv4Address::parse("198.18.0.120"),
                       Ipv4Address::parse("198.18.0.2"), 110);
    REQUIRE(inv.save(file));
    {
        std::ifstream in(file);
        std::string header, first;
        std::getline(in, header);
        std::getline(in, first);
        CHECK(first ==
              "52:54:00:00:00:01\t7\tPXEClient:Arch:00007\tuuid-1\tlab0\t100\t110\t198.18.0.120\t"
              "198.18.0.2");
    }
    std::size_t skipped = 0;
    const auto back = ClientInventory::load(file, &skipped);
    CHECK(skipped == 0);
    CHECK(back.all() == inv.all());
    CHECK_FALSE(back.find(*MacAddress::parse("52:54:00:00:00:02"))->address);

    // A file written before passive discovery: seven columns.
    {
        std::ofstream out(file);
        out << "# castline PXE clients: mac arch vendor_class uuid interface first last\n"
            << "52:54:00:00:00:07\t0\tPXEClient\t-\tlab0\t5\t6\n";
        // Nine columns with a bad address, and eight columns: both refused.
        out << "52:54:00:00:00:08\t0\tPXEClient\t-\tlab0\t5\t6\t198.18.0.300\t-\n"
            << "52:54:00:00:00:09\t0\tPXEClient\t-\tlab0\t5\t6\t198.18.0.3\n";
    }
    const auto old = ClientInventory::load(file, &skipped);
    CHECK(skipped == 2);
    REQUIRE(old.all().size() == 1);
    const auto* r = old.find(*MacAddress::parse("52:54:00:00:00:07"));
    REQUIRE(r);
    CHECK(r->last_seen == 6);
    CHECK_FALSE(r->address);
    CHECK_FALSE(r->server);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a sighting that only moves last_seen does not make the inventory dirty") {
    const auto dir = temp_dir();
    const auto file = dir / "clients.tsv";
    ClientInventory inv;
    inv.record(sighting("52:54:00:00:00:01", 100));
    CHECK(inv.dirty());
    REQUIRE(inv.save(file));
    CHECK_FALSE(inv.dirty());
    CHECK_FALSE(inv.times_unsaved());
    // The same client again (a boot loop, a retransmission): no fact changed.
    CHECK_FALSE(inv.record(sighting("52:54:00:00:00:01", 200)));
    CHECK_FALSE(inv.dirty());
    CHECK(inv.times_unsaved());
    const auto mac = *MacAddress::parse("52:54:00:00:00:01");
    inv.record_address(mac, *Ipv4Address::parse("198.18.0.120"), std::nullopt, 210);
    CHECK(inv.dirty());  // a new address is a fact
    REQUIRE(inv.save(file));
    CHECK_FALSE(inv.record_address(mac, *Ipv4Address::parse("198.18.0.120"), std::nullopt, 220));
    CHECK_FALSE(inv.dirty());
    CHECK(inv.times_unsaved());
    REQUIRE(inv.save(file));
    CHECK_FALSE(inv.times_unsaved());
    CHECK(ClientInventory::load(file).find(mac)->last_seen == 220);
    std::filesystem::remove_all(dir);
}

TEST_CASE("the inventory is bounded: a new client beyond the maximum evicts the least recent") {
    ClientInventory inv(3);
    inv.record(sighting("52:54:00:00:00:01", 100));
    inv.record(sighting("52:54:00:00:00:02", 110));
    inv.record(sighting("52:54:00:00:00:03", 120));
    inv.record(sighting("52:54:00:00:00:01", 130));  // seen again: now the most recent
    REQUIRE(inv.save(temp_dir() / "bounded.tsv"));
    CHECK(inv.record(sighting("52:54:00:00:00:04", 140)));
    CHECK(inv.size() == 3);
    CHECK(inv.evicted() == 1);
    CHECK(inv.dirty());
    CHECK_FALSE(inv.find(*MacAddress::parse("52:54:00:00:00:02")));
    CHECK(inv.find(*MacAddress::parse("52:54:00:00:00:01")));
    CHECK(inv.find(*MacAddress::parse("52:54:00:00:00:04")));
    std::filesystem::remove_all(temp_dir());
}

TEST_CASE("a flood of made-up MACs keeps the inventory at its documented maximum") {
    const auto dir = temp_dir();
    const auto file = dir / "clients.tsv";
    ClientInventory inv;
    const auto listed = *MacAddress::parse("52:54:00:00:00:01");
    for (std::uint32_t i = 0; i < 100'000; ++i) {
        ClientRecord r = sighting("52:54:00:00:00:01", 1000 + i);
        r.mac = MacAddress{{0x0a, static_cast<std::uint8_t>(i >> 16),
                            static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i), 0, 1}};
        inv.record(r);
        if (i % 50 == 0) inv.record(sighting("52:54:00:00:00:01", 1000 + i));  // keeps booting
    }
    CHECK(inv.size() == ClientInventory::default_max_clients);
    CHECK(inv.find(listed));  // a client seen recently stays
    REQUIRE(inv.save(file));
    // Loading keeps the bound too, whatever the file holds.
    std::size_t skipped = 0;
    const auto small = ClientInventory::load(file, &skipped, 100);
    CHECK(skipped == 0);
    CHECK(small.size() == 100);
    CHECK(small.find(listed));
    CHECK(small.dirty());  // the file holds more than the bound: it is rewritten
    std::filesystem::remove_all(dir);
}
