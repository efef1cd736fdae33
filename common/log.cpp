#include "common/log.hpp"
#include "common/log_style.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace castline::log {
namespace {
std::atomic<Level> current_level{Level::info};
std::atomic<Style> current_style{Style::logfmt};
std::mutex output_mutex;

bool needs_quotes(std::string_view value) {
    if (value.empty()) return true;
    for (char c : value)
        if (c == ' ' || c == '"' || c == '=' || c == '\t' || c == '\n' || c == '\\') return true;
    return false;
}

void append_value(std::string& out, std::string_view value) {
    if (!needs_quotes(value)) {
        out += value;
        return;
    }
    out += '"';
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    out += '"';
}
}  // namespace

std::optional<Level> parse_level(std::string_view text) {
    if (text == "error") return Level::error;
    if (text == "warn") return Level::warn;
    if (text == "info") return Level::info;
    if (text == "debug") return Level::debug;
    return std::nullopt;
}

std::string_view level_name(Level level) {
    switch (level) {
        case Level::error:
            return "error";
        case Level::warn:
            return "warn";
        case Level::info:
            return "info";
        case Level::debug:
            return "debug";
    }
    return "info";
}

void set_level(Level level) {
    current_level = level;
}
Level level() {
    return current_level;
}
bool enabled(Level level) {
    return level <= current_level.load();
}

std::string format(Level level, std::string_view event, std::initializer_list<Field> fields) {
    std::string line = "level=";
    line += level_name(level);
    line += " event=";
    append_value(line, event);
    for (const auto& field : fields) {
        line += ' ';
        line += field.key;
        line += '=';
        append_value(line, field.value);
    }
    return line;
}

void set_style(Style style) {
    current_style = style;
}
Style style_for(int fd) {
    return ::isatty(fd) ? Style::terminal : Style::logfmt;
}

std::string format_terminal(Level level, std::string_view event,
                            std::initializer_list<Field> fields) {
    std::string line;
    if (level != Level::info) {
        line += level_name(level);
        line += ": ";
    }
    line += event;
    for (const auto& field : fields) {
        line += ' ';
        line += field.key;
        line += '=';
        append_value(line, field.value);
    }
    return line;
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
    if (!enabled(level)) return;
    const auto now = std::chrono::system_clock::now();
    const auto seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(millis));
    const std::string line =
        current_style == Style::terminal
            ? std::string(stamp + 11, 8) + ' ' + format_terminal(level, event, fields) + '\n'
            : std::string(stamp) + ' ' + format(level, event, fields) + '\n';
    std::lock_guard lock(output_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace castline::log
