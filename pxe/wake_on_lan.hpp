#pragma once
// Wake-on-LAN magic packets and wave planning (pure; the sender lives in daemon/wake_sender).
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/mac_address.hpp"

namespace castline::pxe {

// A SecureOn password: 4 bytes (written like an IPv4 address) or 6 bytes (written like a MAC).
struct SecureOnPassword {
    std::vector<std::uint8_t> bytes;
    static std::optional<SecureOnPassword> parse(std::string_view text);
};

// 6 x 0xFF, the target MAC 16 times, then the SecureOn password if any: 102, 106 or 108 bytes.
std::vector<std::uint8_t> magic_packet(const MacAddress& target,
                                       const std::optional<SecureOnPassword>& password = {});

constexpr std::uint16_t wake_on_lan_ethertype = 0x0842;

// A broadcast Ethernet frame from `source` carrying the magic packet with EtherType 0x0842.
std::vector<std::uint8_t> magic_frame(const MacAddress& source, const MacAddress& target,
                                      const std::optional<SecureOnPassword>& password = {});

struct WaveLimits {
    int count = 4;                      // hosts per wave, 1..50
    std::chrono::seconds interval{10};  // between wave starts, 1..120 s
};

struct PlannedWake {
    std::chrono::seconds offset;  // from the start of the run
    MacAddress target;
    int wave = 0;  // 0-based
};

// At most `count` hosts per `interval`, in the given order, duplicates woken once.
std::vector<PlannedWake> plan_waves(const std::vector<MacAddress>& targets,
                                    const WaveLimits& limits);

}  // namespace castline::pxe
