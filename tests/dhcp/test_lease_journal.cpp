#include <doctest/doctest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>

#include <filesystem>
#include <fstream>

#include "dhcp/lease_journal.hpp"

using namespace castline;
using namespace castline::dhcp;

namespace {
struct TempDir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("castline-journal-" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
};
Lease lease(const char* address, const char* mac, LeaseState state, std::int64_t expires) {
    return {*Ipv4Address::parse(address), *MacAddress::parse(mac), state, expires};
}
}  // namespace

TEST_CASE("records format and parse; hostile lines are refused") {
    const auto l = lease("198.18.0.100", "52:54:00:00:00:01", LeaseState::bound, 1790000000);
    CHECK(format_lease_record(l) == "L1 198.18.0.100 52:54:00:00:00:01 bound 1790000000\n");
    CHECK(parse_lease_record("L1 198.18.0.100 52:54:00:00:00:01 bound 1790000000") == l);
    for (const char* bad :
         {"", "L2 198.18.0.100 52:54:00:00:00:01 bound 1",
          "L1 198.18.0.300 52:54:00:00:00:01 bound 1", "L1 198.18.0.100 52:54:00:00:00 bound 1",
          "L1 198.18.0.100 52:54:00:00:00:01 bent 1", "L1 198.18.0.100 52:54:00:00:00:01 bound",
          "L1 198.18.0.100 52:54:00:00:00:01 bound 1x",
          "L1 198.18.0.100 52:54:00:00:00:01 bound 1 extra",
          "L1 198.18.0.100 52:54:00:00:00:01 bound 99999999999999999999999"})
        CHECK_MESSAGE(!parse_lease_record(bad), bad);
}

TEST_CASE("append, reload: the last record of an address wins; offers are never written") {
    TempDir dir;
    const auto file = dir.path / "leases";
    {
        LeaseJournal j(file);
        CHECK(j.load().leases.empty());
        REQUIRE(j.compact({}));
        CHECK(j.append(lease("198.18.0.100", "52:54:00:00:00:01", LeaseState::bound, 100)));
        CHECK(j.append(lease("198.18.0.101", "52:54:00:00:00:02", LeaseState::bound, 100)));
        CHECK(j.append(lease("198.18.0.100", "52:54:00:00:00:01", LeaseState::released, 50)));
        CHECK(j.append(lease("198.18.0.102", "52:54:00:00:00:03", LeaseState::offered, 50)));
        CHECK(j.sync());
        CHECK(j.appended_since_compaction() == 3);
    }
    LeaseJournal j(file);
    const auto loaded = j.load();
    CHECK(loaded.records == 3);
    CHECK(loaded.bad_lines == 0);
    REQUIRE(loaded.leases.size() == 2);
    CHECK(loaded.leases[0].state == LeaseState::released);
    CHECK(loaded.leases[1].address == *Ipv4Address::parse("198.18.0.101"));
}

TEST_CASE("a torn last line and garbage lines lose only themselves") {
    TempDir dir;
    const auto file = dir.path / "leases";
    {
        std::ofstream out(file, std::ios::binary);
        out << "L1 198.18.0.100 52:54:00:00:00:01 bound 100\n"
            << "\x01\x02 garbage\n"
            << "L1 198.18.0.101 52:54:00:00:00:02 bound 100\n"
            << "L1 198.18.0.102 52:54:00:0";  // the write a crash cut short
    }
    const auto loaded = LeaseJournal(file).load();
    CHECK(loaded.leases.size() == 2);
    CHECK(loaded.bad_lines == 2);
}

TEST_CASE("compaction rewrites exactly the live leases, atomically") {
    TempDir dir;
    const auto file = dir.path / "leases";
    LeaseJournal j(file);
    REQUIRE(j.compact({}));
    for (int i = 0; i < 10; ++i)
        j.append(lease("198.18.0.100", "52:54:00:00:00:01", LeaseState::bound, i));
    REQUIRE(j.compact({lease("198.18.0.100", "52:54:00:00:00:01", LeaseState::bound, 9),
                       lease("198.18.0.103", "52:54:00:00:00:04", LeaseState::offered, 9)}));
    // only the journal is left in the directory, no temporary file
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path), {}) == 1);
    CHECK(j.appended_since_compaction() == 0);
    CHECK(j.append(lease("198.18.0.101", "52:54:00:00:00:02", LeaseState::bound, 5)));
    const auto loaded = j.load();
    CHECK(loaded.records == 2);
    CHECK(loaded.leases.size() == 2);
}

TEST_CASE("append before compaction (no open file) reports failure") {
    LeaseJournal j("/nonexistent-dir/leases");
    CHECK_FALSE(j.append(lease("198.18.0.100", "52:54:00:00:00:01", LeaseState::bound, 1)));
    CHECK_FALSE(j.compact({}));
}

TEST_CASE("a cut-short append marks the journal; compaction leaves no partial line") {
    TempDir dir;
    const auto file = dir.path / "leases";
    LeaseJournal j(file);
    REQUIRE(j.compact({}));
    const auto first = lease("198.18.0.100", "52:54:00:00:00:01", LeaseState::bound, 100);
    REQUIRE(j.append(first));
    CHECK_FALSE(j.needs_compaction());
    // A file size limit just past the first record makes the next write stop half-way (EFBIG).
    rlimit old{};
    ::getrlimit(RLIMIT_FSIZE, &old);
    const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = std::filesystem::file_size(file) + 10;
    ::setrlimit(RLIMIT_FSIZE, &small);
    const bool appended =
        j.append(lease("198.18.0.101", "52:54:00:00:00:02", LeaseState::bound, 100));
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previous_handler);
    CHECK_FALSE(appended);
    CHECK(j.needs_compaction());
    CHECK(j.load().bad_lines == 1);  // the partial line
    REQUIRE(j.compact({first}));
    CHECK_FALSE(j.needs_compaction());
    const auto loaded = j.load();
    CHECK(loaded.bad_lines == 0);
    CHECK(loaded.leases == std::vector<Lease>{first});
}
