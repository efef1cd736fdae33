#include "tftp/netascii.hpp"

namespace castline::tftp {

std::vector<std::uint8_t> to_netascii(std::span<const std::uint8_t> bytes) {
    std::vector<std::uint8_t> out;
    out.reserve(bytes.size() + bytes.size() / 16);
    for (auto b : bytes) {
        if (b == '\n') {
            out.push_back('\r');
            out.push_back('\n');
        } else if (b == '\r') {
            out.push_back('\r');
            out.push_back('\0');
        } else {
            out.push_back(b);
        }
    }
    return out;
}

std::vector<std::uint8_t> from_netascii(std::span<const std::uint8_t> bytes) {
    std::vector<std::uint8_t> out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\r' && i + 1 < bytes.size()) {
            if (bytes[i + 1] == '\n') {
                out.push_back('\n');
                ++i;
                continue;
            }
            if (bytes[i + 1] == '\0') {
                out.push_back('\r');
                ++i;
                continue;
            }
        }
        out.push_back(bytes[i]);
    }
    return out;
}

}  // namespace castline::tftp
