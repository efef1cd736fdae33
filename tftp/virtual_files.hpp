#pragma once
// Generated boot files (per-host iPXE scripts and the like) served beside the boot tree.
// Other parts register a provider under a name or a prefix; TFTP and HTTP ask it before the
// file system, with what they know of the client.
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"

namespace castline::tftp {

struct VirtualFileRequest {
    std::string path;  // normalised, relative (see normalize_request_path)
    Ipv4Address client;
    std::optional<MacAddress> mac;  // unknown to TFTP unless the address lookup knows it
};

// Returns the content, or nothing when it has no file for this path and client (the request
// then falls through to the boot tree).
using VirtualFileProvider = std::function<std::optional<std::string>(const VirtualFileRequest&)>;

// Maps a client address to its MAC where DHCP has seen it.
using MacLookup = std::function<std::optional<MacAddress>(Ipv4Address)>;

class VirtualFiles {
  public:
    // `name` is an exact relative path ("boot.ipxe"); a name ending in '/' is a prefix
    // ("hosts/") that matches every path below it. A later registration replaces an earlier one.
    void add(const std::string& name, VirtualFileProvider provider);
    void remove(const std::string& name);
    void set_mac_lookup(MacLookup lookup) { mac_lookup_ = std::move(lookup); }

    // Exact names first, then the longest matching prefix.
    std::optional<std::string> find(const std::string& path, Ipv4Address client) const;

  private:
    std::map<std::string, VirtualFileProvider> exact_;
    std::map<std::string, VirtualFileProvider> prefixes_;
    MacLookup mac_lookup_;
};

}  // namespace castline::tftp
