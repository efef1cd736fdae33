#include "imager/sysprep_inf.hpp"

#include <algorithm>
#include <optional>

#include "imager/errors.hpp"

namespace castline::imager {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

struct Line {
    std::size_t begin = 0;
    std::size_t content_end = 0;  // before the line end
    std::size_t end = 0;          // after the line end, if any
    std::string_view content;
};

std::vector<Line> split_lines(std::string_view text, std::size_t from) {
    std::vector<Line> lines;
    std::size_t at = from;
    while (at < text.size()) {
        const std::size_t newline = text.find('\n', at);
        Line line;
        line.begin = at;
        line.end = newline == std::string_view::npos ? text.size() : newline + 1;
        line.content_end = newline == std::string_view::npos ? text.size() : newline;
        if (line.content_end > at && text[line.content_end - 1] == '\r' &&
            newline != std::string_view::npos)
            --line.content_end;
        line.content = text.substr(at, line.content_end - at);
        lines.push_back(line);
        at = line.end;
    }
    return lines;
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; };
               return lower(x) == lower(y);
           });
}

// The name of a `[Section]` line, or nothing for other lines.
std::optional<std::string_view> section_name(std::string_view content) {
    const auto t = trim(content);
    if (t.size() < 2 || t.front() != '[') return std::nullopt;
    const auto close = t.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return trim(t.substr(1, close - 1));
}

bool is_comment_or_blank(std::string_view content) {
    const auto t = trim(content);
    return t.empty() || t.front() == ';';
}

// The key of a KEY=VALUE line, or nothing.
std::optional<std::string_view> key_of(std::string_view content) {
    if (is_comment_or_blank(content) || section_name(content)) return std::nullopt;
    const auto eq = content.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    return trim(content.substr(0, eq));
}

void check_writable(const SysprepSetting& s) {
    const auto bad = [](std::string_view v, std::string_view chars) {
        return v.find_first_of(chars) != std::string_view::npos ||
               v.find('\0') != std::string_view::npos;
    };
    if (trim(s.section).empty() || bad(s.section, "[]\r\n") || trim(s.section) != s.section)
        throw postconfig_failed(
            "sysprep section \"" + s.section +
            "\" is not an INI section name (empty, padded, or holds '[', ']' or "
            "a line break)");
    if (trim(s.key).empty() || bad(s.key, "=[;\r\n") || trim(s.key) != s.key)
        throw postconfig_failed("sysprep key \"" + s.key + "\" in [" + s.section +
                                "] is not an INI key (empty, padded, or holds '=', '[', ';' or "
                                "a line break)");
    if (bad(s.value, "\r\n"))
        throw postconfig_failed("sysprep value of " + s.section + "/" + s.key +
                                " holds a line break or NUL, which an INI line cannot");
    if (trim(s.value) != s.value)
        throw postconfig_failed("sysprep value of " + s.section + "/" + s.key +
                                " starts or ends with a blank, which Windows drops; put it in "
                                "quotes");
}

}  // namespace

std::string set_sysprep_value(std::string_view text, const SysprepSetting& setting) {
    check_writable(setting);
    const std::size_t body = text.substr(0, utf8_bom.size()) == utf8_bom ? utf8_bom.size() : 0;
    const std::string eol = text.find("\r\n") != std::string_view::npos ? "\r\n"
                            : text.find('\n') != std::string_view::npos ? "\n"
                                                                        : "\r\n";
    const auto lines = split_lines(text, body);
    const std::string new_line = setting.key + "=" + setting.value + eol;

    // The first section of that name is the one Windows reads.
    std::size_t i = 0;
    while (i < lines.size() && !(section_name(lines[i].content) &&
                                 same_name(*section_name(lines[i].content), setting.section)))
        ++i;
    if (i == lines.size()) {
        std::string out(text);
        if (out.size() > body && out.back() != '\n') out += eol;
        return out + "[" + setting.section + "]" + eol + new_line;
    }
    std::size_t last_content = i;  // the header, or the section's last non-blank line
    for (std::size_t j = i + 1; j < lines.size() && !section_name(lines[j].content); ++j) {
        if (const auto key = key_of(lines[j].content); key && same_name(*key, setting.key)) {
            // Keep the key's spelling, the '=' and the blanks after it; replace the rest.
            const auto eq = lines[j].content.find('=');
            const auto after_eq = lines[j].content.substr(eq + 1);
            const auto blanks = std::min(after_eq.find_first_not_of(" \t"), after_eq.size());
            const auto value_at = lines[j].begin + eq + 1 + blanks;
            return std::string(text.substr(0, value_at)) + setting.value +
                   std::string(text.substr(lines[j].content_end));
        }
        if (!trim(lines[j].content).empty()) last_content = j;
    }
    const Line& after = lines[last_content];
    std::string out(text.substr(0, after.end));
    if (after.end == after.content_end) out += eol;  // the file's last line had no line end
    return out + new_line + std::string(text.substr(after.end));
}

std::vector<SysprepSetting> sysprep_settings_for_mac(std::string_view update_text,
                                                     const MacAddress& mac) {
    const std::size_t body =
        update_text.substr(0, utf8_bom.size()) == utf8_bom ? utf8_bom.size() : 0;
    std::vector<SysprepSetting> out;
    std::optional<std::string> current;  // section of this MAC; empty string: another MAC's
    bool in_section = false;
    std::size_t number = 0;
    for (const auto& line : split_lines(update_text, body)) {
        ++number;
        const auto where = "sysprep update file line " + std::to_string(number) + ": ";
        if (line.content.find('\0') != std::string_view::npos)
            throw postconfig_failed(where + "holds a NUL byte");
        if (is_comment_or_blank(line.content)) continue;
        const auto t = trim(line.content);
        if (t.front() == '[') {
            if (t.back() != ']')
                throw postconfig_failed(where + "section header \"" + std::string(t) +
                                        "\" does not end with ']'");
            const auto name = trim(t.substr(1, t.size() - 2));
            const auto first_dot = name.find('.');
            const auto second_dot =
                first_dot == std::string_view::npos ? first_dot : name.find('.', first_dot + 1);
            const auto parsed_mac = MacAddress::parse(name.substr(0, first_dot));
            if (second_dot == std::string_view::npos || !parsed_mac ||
                !same_name(name.substr(first_dot + 1, second_dot - first_dot - 1), "SysprepInf") ||
                trim(name.substr(second_dot + 1)).empty())
                throw postconfig_failed(where + "section \"" + std::string(name) +
                                        "\" is not of the form MAC.SysprepInf.SECTION like "
                                        "00-0A-48-00-DD-1A.SysprepInf.UserData");
            in_section = true;
            current =
                *parsed_mac == mac ? std::string(trim(name.substr(second_dot + 1))) : std::string();
            continue;
        }
        const auto eq = t.find('=');
        if (eq == std::string_view::npos || trim(t.substr(0, eq)).empty())
            throw postconfig_failed(where + "\"" + std::string(t) +
                                    "\" is not KEY=VALUE, a [section], or a ; comment");
        if (!in_section)
            throw postconfig_failed(where + "KEY=VALUE before the first [MAC.SysprepInf.SECTION]");
        if (!current->empty())
            out.push_back({*current, std::string(trim(t.substr(0, eq))),
                           std::string(trim(t.substr(eq + 1)))});
    }
    return out;
}

}  // namespace castline::imager
