#pragma once
// How log::write prints. logfmt (the default) is for castlined, files and journald; terminal is
// for a person running a command by hand: "07:14:04 warn: event key=value ..." (time of day, the
// level unless it is info, the event, the fields). Apart from log.hpp, which nearly every file
// includes, because only the programs' mains choose a style.
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/log.hpp"

namespace castline::log {

enum class Style { logfmt, terminal };
void set_style(Style style);
// Style::terminal when the file descriptor is a terminal, else Style::logfmt.
Style style_for(int fd);

// The line write() prints in Style::terminal, without the time; for tests.
std::string format_terminal(Level level, std::string_view event,
                            std::initializer_list<Field> fields);

}  // namespace castline::log
