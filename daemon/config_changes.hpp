#pragma once
// What a reload changes, in one line for the log: which named entries came, went or changed, and
// which settings of the fixed sections differ.
#include <string>

#include "config/site_config.hpp"

namespace castline::daemon {

// E.g. "hosts +ws03 -ws01 ~ws02; groups ~lab; boot kernel,http_port; server log_level"; empty
// when nothing that castlined uses differs.
std::string describe_changes(const config::SiteConfig& before, const config::SiteConfig& after);

}  // namespace castline::daemon
