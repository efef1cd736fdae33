#include "common/log.hpp"
#include "common/log_style.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "common/utf8.hpp"

namespace castline::log {
namespace {
std::atomic<Level> current_level{Level::info};
std::atomic<Style> current_style{Style::logfmt};
std::mutex output_mutex;

// A byte sequence a terminal or a log reader could take for something else: C0 and C1 control
// characters (CR rewrites a line, ESC starts terminal commands) and bytes that are not UTF-8.
bool is_unsafe(std::string_view value, std::size_t at, std::size_t length) {
    const auto lead = static_cast<unsigned char>(value[at]);
    if (length == 0) return true;
    if (length == 1) return lead < 0x20 || lead == 0x7f;
    return lead == 0xc2 && static_cast<unsigned char>(value[at + 1]) < 0xa0;  // U+0080..U+009F
}

bool needs_quotes(std::string_view value) {
    if (value.empty()) return true;
    for (std::size_t at = 0; at < value.size();) {
        const auto length = utf8_sequence_length(value, at);
        const char c = value[at];
        if (c == ' ' || c == '"' || c == '=' || c == '\\' || is_unsafe(value, at, length))
            return true;
        at += length == 0 ? 1 : length;
    }
    return false;
}

void append_hex(std::string& out, unsigned char byte) {
    static constexpr char digits[] = "0123456789abcdef";
    out += "\\x";
    out += digits[byte >> 4];
    out += digits[byte & 15];
}

// Every value is written here, once: quoted when it holds a separator, with quotes, backslashes,
// control characters and bytes that are not UTF-8 escaped, so one logged value is one token.
void append_value(std::string& out, std::string_view value) {
    if (!needs_quotes(value)) {
        out += value;
        return;
    }
    out += '"';
    for (std::size_t at = 0; at < value.size();) {
        const auto length = utf8_sequence_length(value, at);
        const char c = value[at];
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (is_unsafe(value, at, length)) {
            const auto bytes = length == 0 ? 1 : length;
            for (std::size_t i = 0; i < bytes; ++i)
                append_hex(out, static_cast<unsigned char>(value[at + i]));
        } else {
            out.append(value.substr(at, length));
        }
        at += length == 0 ? 1 : length;
    }
    out += '"';
}

void append_fields(std::string& line, std::initializer_list<Field> fields) {
    for (const auto& field : fields) {
        line += ' ';
        line += field.key;
        line += '=';
        append_value(line, field.value);
    }
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
    append_fields(line, fields);
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
    append_fields(line, fields);
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
