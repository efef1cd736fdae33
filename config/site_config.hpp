#pragma once
// The typed model of a castline site config (schema version 1). docs/config.md documents every key.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ipv4_address.hpp"
#include "common/log.hpp"
#include "common/mac_address.hpp"
#include "common/multicast_defaults.hpp"

namespace castline::config {

// Where a value came from, for errors that name FILE:LINE:COL. Lines and columns count from 1.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
    std::string to_string() const;
};

// Where each key of one config entry was written, so that checks made after parsing (references,
// duplicates, the machine check) can still name the line. A few entries per item: a flat list.
struct FieldLocations {
    std::vector<std::pair<std::string, SourceLocation>> entries;
    void add(std::string key, SourceLocation location) {
        entries.emplace_back(std::move(key), std::move(location));
    }
    // The key's location, or `fallback` (usually the entry's own) when the key was not written.
    SourceLocation find(std::string_view key, const SourceLocation& fallback) const;
};

enum class DhcpMode { proxy, full, off };
enum class HostAction { image, local };
enum class UnknownHostPolicy { ignore, local, group };
enum class RestoreMethod { session, unicast };
enum class PowerAction { reboot, poweroff, stay };
enum class ErrorAction { wait, poweroff };

// Which disk an imaging job writes to. Every criterion given must match; with none, the only
// non-removable disk. Model and serial are shell patterns ("Samsung*").
struct DiskRule {
    std::string path;
    std::string model;
    std::string serial;
    std::uint64_t min_size = 0;
    std::uint64_t max_size = 0;  // 0: no limit
    bool operator==(const DiskRule&) const = default;
};

// How a host is imaged: a group sets it for its hosts, a host's own keys win (docs/config.md).
struct ImagingSettings {
    std::optional<RestoreMethod> restore;  // default: session when the group names one
    std::optional<DiskRule> disk;
    std::optional<bool> verify;
    std::optional<PowerAction> power;
    std::optional<ErrorAction> on_error;
};

struct ServerConfig {
    std::vector<std::string> interfaces;
    std::vector<SourceLocation> interface_locations;  // parallel to interfaces
    std::filesystem::path data_dir = "./state";
    log::Level log_level = log::Level::info;
    std::uint16_t api_port = 8081;  // operator API on 127.0.0.1 only; 0 disables it
    std::chrono::seconds history_keep{
        90 * 86400};          // finished rollout runs older than this are compacted
    SourceLocation location;  // of the server section (or of the top-level map without one)
    FieldLocations fields;    // where each server key was written
};

struct DhcpPool {
    std::string interface;
    Ipv4Address first;
    Ipv4Address last;
    std::optional<Ipv4Address> router;
    std::optional<Ipv4Address> subnet_mask;  // default: the interface's
    std::vector<Ipv4Address> dns_servers;
    std::string domain_name;
    std::chrono::seconds lease_time{3600};
    SourceLocation location;
    std::string key_path;  // e.g. "hosts[3]", "groups.lab" (index within its own file)
    FieldLocations fields;
};

// An extra DHCP option by code, as a string, an address list or raw hex bytes.
struct DhcpExtraOption {
    std::uint8_t code = 0;
    std::string key_path;
    std::vector<std::uint8_t> value;
    SourceLocation location;
};

// A fixed address for a MAC in full mode, for machines that are not in hosts.
struct DhcpReservation {
    MacAddress mac;
    Ipv4Address address;
    std::string hostname;
    SourceLocation location;
    std::string key_path;
    FieldLocations fields;
};

struct DhcpConfig {
    DhcpMode mode = DhcpMode::proxy;
    std::vector<DhcpPool> pools;
    std::vector<DhcpExtraOption> options;
    std::vector<DhcpReservation> reservations;
    bool authoritative = false;
    // Capture every DHCP packet on the served interfaces (libpcap) to record PXE clients that
    // another server answers. Off by default: it needs CAP_NET_RAW and a copy of every DHCP
    // packet on the segment, and an absent key keeps the meaning it had before it existed.
    bool passive_discovery = false;
};

// First-stage loaders by client architecture (RFC 4578 option 93), paths inside boot.root.
struct LoaderSet {
    std::string bios = "undionly.kpxe";
    std::string efi_x64 = "snponly.efi";
    std::string efi_x64_http;  // empty: http://SERVER:http_port/ipxe.efi
    std::string efi_arm64 = "ipxe-arm64.efi";
};

struct TftpConfig {
    std::uint16_t max_blksize = 1468;
    std::uint16_t max_windowsize = 64;
    std::chrono::milliseconds timeout{1000};
    int retries = 5;
};

// Limits of the boot HTTP server against clients that hold connections (docs/http.md).
struct HttpLimits {
    std::chrono::seconds idle_timeout{30};  // to receive a whole request, and between requests
    std::chrono::seconds send_timeout{30};  // a response that makes no progress this long ends
    std::size_t max_connections_per_client = 16;
    bool operator==(const HttpLimits&) const = default;
};

struct BootConfig {
    std::filesystem::path root = "./boot";
    std::uint16_t tftp_port = 69;
    std::uint16_t http_port = 8080;
    TftpConfig tftp;
    HttpLimits http;
    LoaderSet loaders;
    UnknownHostPolicy unknown_hosts = UnknownHostPolicy::ignore;
    std::string unknown_hosts_group;  // with UnknownHostPolicy::group
    std::string kernel = "vmlinuz";
    std::string initramfs = "initramfs";
    std::string kernel_args;
    FieldLocations fields;  // where each boot key was written
};

struct Host {
    MacAddress mac;
    std::string name;
    std::string group;
    std::map<std::string, std::string> vars;
    std::optional<HostAction> action;    // overrides the group's
    std::optional<Ipv4Address> address;  // DHCP reservation in full mode
    std::optional<LoaderSet> loaders;
    ImagingSettings imaging;  // overrides the group's, key by key
    SourceLocation location;
    std::string key_path;  // e.g. "hosts[3]", "groups.lab" (index within its own file)
    FieldLocations fields;
};

struct Group {
    std::string name;
    std::string image;
    HostAction action = HostAction::local;
    std::string session;
    std::string postconfig;
    std::map<std::string, std::string> vars;
    std::optional<LoaderSet> loaders;
    ImagingSettings imaging;
    SourceLocation location;
    std::string key_path;  // e.g. "hosts[3]", "groups.lab" (index within its own file)
    FieldLocations fields;
};

struct Image {
    std::string name;
    std::filesystem::path path;
    std::string description;
    std::filesystem::path password_file;
    SourceLocation location;
    std::string key_path;  // e.g. "hosts[3]", "groups.lab" (index within its own file)
    FieldLocations fields;
};

enum class LatePolicy { wait, unicast, drop };

struct Session {
    std::string name;
    std::string image;
    std::filesystem::path password_file;
    Ipv4Address address{multicast_defaults::group};
    std::uint16_t port = 0;          // 0: chosen
    std::uint16_t control_port = 0;  // 0: chosen
    std::string interface;
    std::uint32_t packet_size = multicast_defaults::packet_size;
    double rate_mbit = 0;  // 0: controlled by receivers' reports
    int ttl = 1;
    int clients = 0;  // auto-start when this many have joined; 0: not by count
    int min_clients = 0;
    std::chrono::seconds max_wait{0};
    int max_clients = 0;  // 0: no limit
    bool constantcast = false;
    std::chrono::seconds time_limit{0};  // 0: none
    LatePolicy late_policy = LatePolicy::wait;
    SourceLocation location;
    std::string key_path;  // e.g. "hosts[3]", "groups.lab" (index within its own file)
    FieldLocations fields;
};

struct SysprepSetting {
    std::string section;
    std::string key;
    std::string value;  // may contain ${variables}
};

struct UnattendSetting {
    std::string path;  // e.g. specialize/Microsoft-Windows-Shell-Setup/ComputerName
    std::string value;
};

struct FileDrop {
    std::filesystem::path source;  // relative to the config file
    std::string target;            // path inside the partition
    bool render = false;           // substitute ${variables}
    SourceLocation location;
    std::string key_path;  // e.g. "postconfig.win.files[0]"
};

struct PostConfig {
    std::string name;
    std::string partition;  // number ("2") or label
    std::string sysprep_path = "Sysprep/sysprep.inf";
    std::vector<SysprepSetting> sysprep;
    std::filesystem::path sysprep_update;  // Paragon-style per-MAC update file; empty: none
    std::string unattend_path = "Windows/Panther/unattend.xml";
    std::vector<UnattendSetting> unattend;
    std::vector<FileDrop> files;
    SourceLocation location;
    std::string key_path;  // e.g. "hosts[3]", "groups.lab" (index within its own file)
    FieldLocations fields;
};

struct Schedule {
    std::string name;
    std::string kind;  // once | daily | weekly | monthly | every | cron
    std::string at;    // date-time for once, time of day otherwise
    std::vector<std::string> days;
    int day_of_month = 0;
    std::string every;  // "3d", "2w"
    std::string cron;
    std::string until;
    std::string time_zone = "UTC";
    std::string rollout;  // what it starts
    SourceLocation location;
    std::string key_path;  // e.g. "hosts[3]", "groups.lab" (index within its own file)
    FieldLocations fields;
};

struct Rollout {
    std::string name;
    std::vector<std::string> hosts;
    std::vector<std::string> groups;
    std::map<std::string, std::string> selector;  // host vars that must match
    std::string image;
    std::string session;
    std::string postconfig;
    int wave_size = 4;
    std::chrono::seconds wave_interval{10};
    int max_concurrent = 0;
    std::string success_threshold = "100%";
    std::chrono::seconds time_limit{0};
    bool stop_on_failure = true;
    SourceLocation location;
    std::string key_path;  // e.g. "hosts[3]", "groups.lab" (index within its own file)
    FieldLocations fields;
};

struct WakeConfig {
    int count = 4;                      // hosts per interval (1..50)
    std::chrono::seconds interval{10};  // 1..120 s
    int repeat = 3;
};

struct SiteConfig {
    int version = 1;
    std::filesystem::path file;  // the top-level file
    ServerConfig server;
    DhcpConfig dhcp;
    BootConfig boot;
    WakeConfig wake;
    std::vector<Host> hosts;
    std::map<std::string, Group> groups;
    std::map<std::string, Image> images;
    std::map<std::string, Session> sessions;
    std::map<std::string, PostConfig> postconfig;
    std::map<std::string, Schedule> schedules;
    std::map<std::string, Rollout> rollouts;
    std::vector<std::filesystem::path> included_files;  // every file read besides `file`

    const Host* find_host(const MacAddress& mac) const;
};

// A host's imaging settings with the host's keys over its group's over the defaults.
struct HostImaging {
    RestoreMethod restore = RestoreMethod::unicast;
    std::optional<DiskRule> disk;  // none: the only non-removable disk
    bool verify = true;
    PowerAction power = PowerAction::reboot;
    std::optional<ErrorAction> on_error;  // none: boot.kernel_args decide (init's default: wait)
};
HostImaging imaging_for(const SiteConfig& config, const Host& host);

}  // namespace castline::config
