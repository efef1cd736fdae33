#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace castline {

// An IPv4 address held in host byte order, so that ranges compare and count naturally.
struct Ipv4Address {
    std::uint32_t value = 0;

    // Strict dotted quad: four decimal octets 0..255, no leading zeros beyond "0", nothing else.
    static std::optional<Ipv4Address> parse(std::string_view text);
    std::string to_string() const;
    bool is_zero() const { return value == 0; }

    auto operator<=>(const Ipv4Address&) const = default;
};

// An IPv4 prefix such as 198.18.0.0/24.
struct Ipv4Network {
    Ipv4Address address;
    int prefix_length = 32;

    static std::optional<Ipv4Network> parse(std::string_view text);
    std::uint32_t mask() const {
        return prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix_length);
    }
    bool contains(Ipv4Address a) const { return (a.value & mask()) == (address.value & mask()); }
    Ipv4Address broadcast() const { return {(address.value & mask()) | ~mask()}; }
    std::string to_string() const;
};

}  // namespace castline
