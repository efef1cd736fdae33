#pragma once
// Windows computer (NetBIOS) names: a name Windows would refuse at specialize time makes the
// machine stop in setup, so post-config refuses it before anything is written.
#include <string_view>

namespace castline::imager {

// Throws ImagerError(postconfig_failed) saying which rule `name` breaks: 1..15 characters, not
// only digits, none of \ / : * ? " < > | , ~ ! @ # $ % ^ & ' . ( ) { } _ and no space.
void check_computer_name(std::string_view name);

}  // namespace castline::imager
