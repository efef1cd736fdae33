#include "pxe/wake_on_lan.hpp"

#include <algorithm>

#include "common/ipv4_address.hpp"

namespace castline::pxe {

std::optional<SecureOnPassword> SecureOnPassword::parse(std::string_view text) {
    if (const auto as_ipv4 = Ipv4Address::parse(text)) {
        const auto v = as_ipv4->value;
        return SecureOnPassword{{static_cast<std::uint8_t>(v >> 24),
                                 static_cast<std::uint8_t>(v >> 16),
                                 static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}};
    }
    if (const auto as_mac = MacAddress::parse(text))
        return SecureOnPassword{{as_mac->bytes.begin(), as_mac->bytes.end()}};
    return std::nullopt;
}

std::vector<std::uint8_t> magic_packet(const MacAddress& target,
                                       const std::optional<SecureOnPassword>& password) {
    std::vector<std::uint8_t> packet(6, 0xff);
    packet.reserve(6 + 16 * 6 + 6);
    for (int i = 0; i < 16; ++i)
        packet.insert(packet.end(), target.bytes.begin(), target.bytes.end());
    if (password) packet.insert(packet.end(), password->bytes.begin(), password->bytes.end());
    return packet;
}

std::vector<std::uint8_t> magic_frame(const MacAddress& source, const MacAddress& target,
                                      const std::optional<SecureOnPassword>& password) {
    std::vector<std::uint8_t> frame(6, 0xff);
    frame.insert(frame.end(), source.bytes.begin(), source.bytes.end());
    frame.push_back(wake_on_lan_ethertype >> 8);
    frame.push_back(wake_on_lan_ethertype & 0xff);
    const auto payload = magic_packet(target, password);
    frame.insert(frame.end(), payload.begin(), payload.end());
    return frame;
}

std::vector<PlannedWake> plan_waves(const std::vector<MacAddress>& targets,
                                    const WaveLimits& limits) {
    std::vector<PlannedWake> plan;
    std::vector<MacAddress> seen;
    const int per_wave = std::max(1, limits.count);
    for (const auto& target : targets) {
        if (std::find(seen.begin(), seen.end(), target) != seen.end()) continue;
        seen.push_back(target);
        const int wave = static_cast<int>(plan.size()) / per_wave;
        plan.push_back({limits.interval * wave, target, wave});
    }
    return plan;
}

}  // namespace castline::pxe
