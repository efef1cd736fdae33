#pragma once
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace castline {

// A 48-bit Ethernet hardware address.
struct MacAddress {
    std::array<std::uint8_t, 6> bytes{};

    // Accepts "52:54:00:00:00:01", "52-54-00-00-00-01" and "525400000001", any case.
    static std::optional<MacAddress> parse(std::string_view text);
    // Lower-case, colon-separated.
    std::string to_string() const;
    // Upper-case, dash-separated, as Paragon's per-MAC sections spell it.
    std::string to_dashed_upper() const;

    auto operator<=>(const MacAddress&) const = default;
};

}  // namespace castline
