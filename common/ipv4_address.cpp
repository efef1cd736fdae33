#include "common/ipv4_address.hpp"

#include <charconv>

namespace castline {

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
    std::uint32_t value = 0;
    std::size_t pos = 0;
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0) {
            if (pos >= text.size() || text[pos] != '.') return std::nullopt;
            ++pos;
        }
        const std::size_t start = pos;
        while (pos < text.size() && pos - start < 4 && text[pos] >= '0' && text[pos] <= '9') ++pos;
        const std::size_t length = pos - start;
        if (length == 0 || length > 3 || (length > 1 && text[start] == '0')) return std::nullopt;
        unsigned part = 0;
        std::from_chars(text.data() + start, text.data() + pos, part);
        if (part > 255) return std::nullopt;
        value = (value << 8) | part;
    }
    if (pos != text.size()) return std::nullopt;
    return Ipv4Address{value};
}

std::string Ipv4Address::to_string() const {
    return std::to_string(value >> 24) + '.' + std::to_string((value >> 16) & 0xff) + '.' +
           std::to_string((value >> 8) & 0xff) + '.' + std::to_string(value & 0xff);
}

std::optional<Ipv4Network> Ipv4Network::parse(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const auto address = Ipv4Address::parse(text.substr(0, slash));
    const auto digits = text.substr(slash + 1);
    int length = -1;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (!address || error != std::errc{} || end != digits.data() + digits.size() || length < 0 ||
        length > 32 || digits.empty())
        return std::nullopt;
    return Ipv4Network{*address, length};
}

std::string Ipv4Network::to_string() const {
    return address.to_string() + '/' + std::to_string(prefix_length);
}

}  // namespace castline
