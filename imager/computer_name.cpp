#include "imager/computer_name.hpp"

#include <algorithm>
#include <string>

#include "imager/errors.hpp"

namespace castline::imager {

void check_computer_name(std::string_view name) {
    const std::string quoted = "computer name \"" + std::string(name) + "\"";
    if (name.empty())
        throw postconfig_failed("computer name is empty, expected 1 to 15 characters");
    if (name.size() > 15)
        throw postconfig_failed(quoted + " has " + std::to_string(name.size()) +
                                " characters, at most 15 are allowed");
    if (const auto at = std::find_if(name.begin(), name.end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x20; });
        at != name.end())
        throw postconfig_failed(quoted + " contains a control character");
    constexpr std::string_view refused = "\\/:*?\"<>|,~!@#$%^&'.(){}_ ";
    if (const auto at = name.find_first_of(refused); at != std::string_view::npos)
        throw postconfig_failed(quoted + " contains '" + std::string(1, name[at]) +
                                "', which Windows does not allow in computer names");
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw postconfig_failed(quoted + " is only digits, which Windows does not allow");
}

}  // namespace castline::imager
