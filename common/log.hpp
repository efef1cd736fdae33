#pragma once
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace castline::log {

enum class Level { error = 0, warn = 1, info = 2, debug = 3 };

std::optional<Level> parse_level(std::string_view text);
std::string_view level_name(Level level);

void set_level(Level level);
Level level();
bool enabled(Level level);

// One key=value field of a log line; values with spaces, quotes or '=' are quoted.
struct Field {
    std::string_view key;
    std::string value;
    Field(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const char* v) : key(k), value(v) {}
    template <typename Number>
    requires std::is_arithmetic_v<Number> Field(std::string_view k, Number v)
        : key(k), value(std::to_string(v)) {}
};

// Writes one line to stderr: "2026-11-22T07:14:04.123Z level=info event=... key=value ...".
void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

// The line write() would print, without the timestamp; for tests.
std::string format(Level level, std::string_view event, std::initializer_list<Field> fields);

inline void error(std::string_view event, std::initializer_list<Field> f = {}) {
    write(Level::error, event, f);
}
inline void warn(std::string_view event, std::initializer_list<Field> f = {}) {
    write(Level::warn, event, f);
}
inline void info(std::string_view event, std::initializer_list<Field> f = {}) {
    write(Level::info, event, f);
}
inline void debug(std::string_view event, std::initializer_list<Field> f = {}) {
    write(Level::debug, event, f);
}

}  // namespace castline::log
