#pragma once
// ${variables} in post-config values: the names they use, and what every host provides.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace castline::config {

// Variables castline fills in for every host, besides the host's and its group's vars.
inline constexpr std::string_view builtin_variables[] = {
    "name", "mac", "mac_dashed", "group", "image", "address", "session", "server"};

struct TemplateScan {
    std::vector<std::string> names;    // in order of appearance, repeats kept
    std::optional<std::string> error;  // e.g. "\"${Org\" is not closed"
};

// Finds ${name} references in `text`; "$$" stands for a literal '$'.
TemplateScan scan_template(std::string_view text);

bool is_builtin_variable(std::string_view name);

}  // namespace castline::config
