#include "tftp/options.hpp"

#include <algorithm>
#include <string>

namespace castline::tftp {
namespace {

// A decimal number of at most 10 digits, nothing else (no sign, no spaces).
std::optional<std::uint64_t> parse_number(const std::string& text) {
    if (text.empty() || text.size() > 10) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

bool already_acknowledged(const NegotiatedOptions& n, const std::string& name) {
    return std::any_of(n.acknowledged.begin(), n.acknowledged.end(),
                       [&](const Option& o) { return o.name == name; });
}

}  // namespace

std::uint16_t blksize_for_mtu(int mtu) {
    constexpr int overhead = 20 + 8 + 4;  // IPv4 header, UDP header, TFTP DATA header
    const int fits = mtu - overhead;
    if (fits < min_blksize) return min_blksize;
    return static_cast<std::uint16_t>(std::min<int>(fits, max_blksize_rfc));
}

NegotiatedOptions negotiate(const std::vector<Option>& requested, const NegotiationLimits& limits,
                            std::uint64_t file_size) {
    NegotiatedOptions n;
    n.timeout = limits.default_timeout;
    for (const auto& option : requested) {
        // A repeated option counts once: the first one wins.
        if (already_acknowledged(n, option.name)) continue;
        const auto value = parse_number(option.value);
        if (option.name == "blksize") {
            if (!value || *value < min_blksize) continue;
            const auto limit = std::min<std::uint64_t>(limits.max_blksize, max_blksize_rfc);
            n.blksize = static_cast<std::uint16_t>(std::min<std::uint64_t>(*value, limit));
            n.acknowledged.push_back({"blksize", std::to_string(n.blksize)});
        } else if (option.name == "tsize") {
            // In a read request the client sends 0 and learns the size from the OACK.
            if (!value) continue;
            n.acknowledged.push_back({"tsize", std::to_string(file_size)});
        } else if (option.name == "timeout") {
            if (!value || *value < 1 || *value > 255) continue;
            n.timeout = std::chrono::seconds(*value);
            n.acknowledged.push_back({"timeout", std::to_string(*value)});
        } else if (option.name == "windowsize") {
            if (!value || *value < 1 || *value > 65535) continue;
            const auto limit = std::max<std::uint64_t>(1, limits.max_windowsize);
            n.windowsize = static_cast<std::uint16_t>(std::min<std::uint64_t>(*value, limit));
            n.acknowledged.push_back({"windowsize", std::to_string(n.windowsize)});
        }
        // Unknown options are ignored (RFC 2347).
    }
    return n;
}

}  // namespace castline::tftp
