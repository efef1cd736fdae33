#include "config/template_variables.hpp"

#include <algorithm>

#include "common/utf8.hpp"

namespace castline::config {

TemplateScan scan_template(std::string_view text) {
    TemplateScan scan;
    std::size_t pos = 0;
    while ((pos = text.find('$', pos)) != std::string_view::npos) {
        if (pos + 1 < text.size() && text[pos + 1] == '$') {
            pos += 2;
            continue;
        }
        if (pos + 1 >= text.size() || text[pos + 1] != '{') {
            ++pos;  // a lone '$' is literal text
            continue;
        }
        const auto close = text.find('}', pos + 2);
        if (close == std::string_view::npos) {
            std::string message = "\"";
            message.append(text.substr(pos, 20));
            message.append("\" is not closed, expected ${name}");
            scan.error = std::move(message);
            return scan;
        }
        const std::string_view name = text.substr(pos + 2, close - pos - 2);
        const bool valid = !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
                           std::all_of(name.begin(), name.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                      (c >= '0' && c <= '9') || c == '_';
                           });
        if (!valid) {
            std::string message = "\"${";
            message.append(truncate_utf8(name, 40));
            message.append("}\" is not a variable, expected ${name} with letters, digits and '_'");
            scan.error = std::move(message);
            return scan;
        }
        scan.names.emplace_back(name);
        pos = close + 1;
    }
    return scan;
}

bool is_builtin_variable(std::string_view name) {
    return std::find(std::begin(builtin_variables), std::end(builtin_variables), name) !=
           std::end(builtin_variables);
}

std::string render_template(std::string_view text,
                            const std::map<std::string, std::string>& values) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto dollar = text.find('$', pos);
        out.append(text.substr(pos, dollar - pos));
        if (dollar == std::string_view::npos) break;
        if (dollar + 1 < text.size() && text[dollar + 1] == '$') {
            out += '$';
            pos = dollar + 2;
            continue;
        }
        const auto close = text.find('}', dollar);
        if (dollar + 1 < text.size() && text[dollar + 1] == '{' &&
            close != std::string_view::npos) {
            const std::string name(text.substr(dollar + 2, close - dollar - 2));
            if (const auto it = values.find(name); it != values.end()) {
                out += it->second;
                pos = close + 1;
                continue;
            }
        }
        out += '$';
        pos = dollar + 1;
    }
    return out;
}

}  // namespace castline::config
