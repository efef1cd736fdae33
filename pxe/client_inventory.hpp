#pragma once
// Every PXE client seen, for the fleet inventory: MAC, architecture, vendor class, UUID, the
// interface it was seen on, first and last seen. Kept in memory; saved as a small text file in
// the data directory by write-then-rename, so a crash leaves the old or the new file, never half.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/mac_address.hpp"

namespace castline::pxe {

struct ClientRecord {
    MacAddress mac;
    std::optional<std::uint16_t> architecture;
    std::string vendor_class;
    std::string uuid;  // text form, empty when the client sent none
    std::string interface;
    std::int64_t first_seen = 0;  // Unix seconds
    std::int64_t last_seen = 0;
    bool operator==(const ClientRecord&) const = default;
};

class ClientInventory {
  public:
    // Records a sighting; returns true when something other than last_seen changed (a new
    // client, or new facts), i.e. when saving soon is worthwhile.
    bool record(ClientRecord sighting);
    const ClientRecord* find(const MacAddress& mac) const;
    std::vector<ClientRecord> all() const;
    bool dirty() const { return dirty_; }

    // Loads a saved inventory; lines that do not parse are skipped and counted.
    static ClientInventory load(const std::filesystem::path& file, std::size_t* skipped = nullptr);
    // Writes FILE.tmp, fsyncs it and renames it over FILE. Clears dirty on success.
    bool save(const std::filesystem::path& file);

  private:
    std::map<MacAddress, ClientRecord> clients_;
    bool dirty_ = false;
};

}  // namespace castline::pxe
