#include "common/mac_address.hpp"

#include <cctype>

namespace castline {
namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
    MacAddress mac;
    std::size_t pos = 0;
    const bool separated = text.size() == 17;
    if (!separated && text.size() != 12) return std::nullopt;
    const char separator = separated ? text[2] : '\0';
    if (separated && separator != ':' && separator != '-') return std::nullopt;
    for (std::size_t i = 0; i < 6; ++i) {
        if (separated && i > 0) {
            if (text[pos] != separator) return std::nullopt;
            ++pos;
        }
        const int hi = hex_value(text[pos]);
        const int lo = hex_value(text[pos + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        mac.bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
        pos += 2;
    }
    return mac;
}

namespace {
std::string format(const MacAddress& mac, const char* digits, char separator) {
    std::string out;
    for (std::size_t i = 0; i < mac.bytes.size(); ++i) {
        if (i > 0) out += separator;
        out += digits[mac.bytes[i] >> 4];
        out += digits[mac.bytes[i] & 0x0f];
    }
    return out;
}
}  // namespace

std::string MacAddress::to_string() const {
    return format(*this, "0123456789abcdef", ':');
}
std::string MacAddress::to_dashed_upper() const {
    return format(*this, "0123456789ABCDEF", '-');
}

}  // namespace castline
