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
    CHECK_FALSE(std::filesystem::exists(file.string() + ".tmp"));
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
