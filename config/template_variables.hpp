#pragma once
// ${variables} in post-config values: the names they use, and what every host provides.
#include <map>
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

// Fills every ${name} from `values` and turns "$$" into '$'. A name without a value is left as
// written (the config check has already refused such a post-config); a lone '$' stays.
std::string render_template(std::string_view text,
                            const std::map<std::string, std::string>& values);

}  // namespace castline::config
