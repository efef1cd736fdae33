#include "common/duration.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <string>

namespace castline {

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t total = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::int64_t number = 0;
        const auto [end, error] =
            std::from_chars(text.data() + pos, text.data() + text.size(), number);
        if (error != std::errc{} || number < 0) return std::nullopt;
        pos = static_cast<std::size_t>(end - text.data());
        std::int64_t unit = 1;
        if (pos < text.size()) {
            switch (text[pos]) {
                case 's':
                    unit = 1;
                    break;
                case 'm':
                    unit = 60;
                    break;
                case 'h':
                    unit = 3600;
                    break;
                case 'd':
                    unit = 86400;
                    break;
                case 'w':
                    unit = 7 * 86400;
                    break;
                default:
                    return std::nullopt;
            }
            ++pos;
        } else if (total != 0) {
            return std::nullopt;  // "1h30" is ambiguous
        }
        if (number > std::numeric_limits<std::int32_t>::max() / unit) return std::nullopt;
        total += number * unit;
        if (total > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
    }
    return std::chrono::seconds{total};
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() &&
           ((text[digits] >= '0' && text[digits] <= '9') || text[digits] == '.'))
        ++digits;
    if (digits == 0) return std::nullopt;
    double number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + digits, number);
    if (error != std::errc{} || end != text.data() + digits || number < 0) return std::nullopt;
    const std::string_view suffix = text.substr(digits);
    double unit = 1;
    if (suffix.empty() || suffix == "B")
        unit = 1;
    else if (suffix == "KiB" || suffix == "K")
        unit = 1024.0;
    else if (suffix == "MiB" || suffix == "M")
        unit = 1024.0 * 1024;
    else if (suffix == "GiB" || suffix == "G")
        unit = 1024.0 * 1024 * 1024;
    else if (suffix == "TiB" || suffix == "T")
        unit = 1024.0 * 1024 * 1024 * 1024;
    else if (suffix == "kB" || suffix == "KB")
        unit = 1e3;
    else if (suffix == "MB")
        unit = 1e6;
    else if (suffix == "GB")
        unit = 1e9;
    else if (suffix == "TB")
        unit = 1e12;
    else
        return std::nullopt;
    const double bytes = std::round(number * unit);
    if (bytes > 1.8e19) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
}

std::string human_size(std::uint64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    static constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = static_cast<double>(bytes) / 1024;
    std::size_t unit = 0;
    // Rounded to one decimal, a value of 1023.95 or more would print as "1024.0".
    while (value >= 1023.95 && unit + 1 < std::size(units)) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

std::string size_text(std::uint64_t bytes) {
    if (bytes < 1024) return human_size(bytes);
    return human_size(bytes) + " (" + std::to_string(bytes) + " bytes)";
}

}  // namespace castline
