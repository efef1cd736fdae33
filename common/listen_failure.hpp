#pragma once
// The error for a service that cannot open its port: which service, address, port and config key,
// so that "Address already in use" names what clashed instead of a library's source path.
#include <stdexcept>
#include <string>
#include <string_view>

namespace castline {

struct ListenFailure : std::runtime_error {
    ListenFailure(std::string_view service, const std::string& address, unsigned port,
                  std::string_view key, std::string_view reason)
        : std::runtime_error(
              "cannot listen for " + std::string(service) + " on " + address + ":" +
              std::to_string(port) + " (" + std::string(key) + "): " + std::string(reason) +
              "; another program holds the port, expected it free or another " + std::string(key)) {
    }
};

}  // namespace castline
