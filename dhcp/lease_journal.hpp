#pragma once
// Full-mode leases on disk (docs/adr/0020-lease-journal.md): an append-only text journal, one
// record per line, "L1 ADDRESS MAC STATE EXPIRES\n"; the last record of an address wins.
// Each change is written with one write(2) when its request is handled; the server calls sync()
// (fdatasync) before it sends the replies of a batch, so no ACK announces a lease a power cut
// can lose. Compaction replaces the file durably (common/durable_file.hpp).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dhcp/lease_table.hpp"

namespace castline::dhcp {

// One record as text, and back; nullopt for a line that does not parse.
std::string format_lease_record(const Lease& lease);
std::optional<Lease> parse_lease_record(std::string_view line);

class LeaseJournal {
  public:
    explicit LeaseJournal(std::filesystem::path file) : file_(std::move(file)) {}
    ~LeaseJournal();
    LeaseJournal(const LeaseJournal&) = delete;
    LeaseJournal& operator=(const LeaseJournal&) = delete;

    struct Loaded {
        std::vector<Lease> leases;  // the last record of each address, in file order
        std::size_t bad_lines = 0;  // unparsable lines, including a torn last line
        std::size_t records = 0;
    };
    // Reads the journal; a missing file is an empty one.
    Loaded load() const;

    // Rewrites the file with exactly `leases` and opens it for appending.
    bool compact(const std::vector<Lease>& leases);
    bool append(const Lease& lease);
    // fdatasync when something was appended since the last sync.
    bool sync();
    // Something was appended and not yet synced.
    bool unsynced() const { return dirty_; }
    std::size_t appended_since_compaction() const { return appended_; }
    // A write failed or was cut short: the file may end in a partial line. The next compaction
    // (which the server then runs at once) rewrites it whole.
    bool needs_compaction() const { return broken_; }
    const std::filesystem::path& file() const { return file_; }

  private:
    std::filesystem::path file_;
    int fd_ = -1;
    bool dirty_ = false;
    bool broken_ = false;
    std::size_t appended_ = 0;
};

}  // namespace castline::dhcp
