#include "config/yaml_syntax.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

namespace castline::config::detail {
namespace {
std::vector<std::string_view> split_lines(const std::string& text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('\n', start);
        std::string_view line(text.data() + start,
                              (end == std::string::npos ? text.size() : end) - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return lines;
}

bool has_content(std::string_view line) {
    const auto first = line.find_first_not_of(" \t");
    return first != std::string_view::npos && line[first] != '#';
}

// The column of a tab among the leading blanks, if there is one.
std::optional<int> tab_in_indentation(std::string_view line) {
    for (std::size_t i = 0; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i)
        if (line[i] == '\t') return static_cast<int>(i);
    return std::nullopt;
}

// Where a line's key starts: after the leading spaces and any "- " of list items.
int key_column(std::string_view line) {
    std::size_t i = 0;
    while (true) {
        while (i < line.size() && line[i] == ' ') ++i;
        if (i + 1 < line.size() && line[i] == '-' && line[i + 1] == ' ')
            ++i;
        else
            return static_cast<int>(i);
    }
}

std::string spaces(int n) {
    return std::to_string(n) + (n == 1 ? " space" : " spaces");
}

// The nearest line before `index` with content, or -1.
int previous_content_line(const std::vector<std::string_view>& lines, int index) {
    for (int i = std::min(index, static_cast<int>(lines.size())) - 1; i >= 0; --i)
        if (has_content(lines[static_cast<std::size_t>(i)])) return i;
    return -1;
}

// The key columns a line after `from` may continue at: that line's, then each enclosing one.
std::string enclosing_columns(const std::vector<std::string_view>& lines, int from) {
    std::vector<int> columns;
    for (int i = from; i >= 0; --i) {
        const auto line = lines[static_cast<std::size_t>(i)];
        if (!has_content(line)) continue;
        const int column = key_column(line);
        if (columns.empty() || column < columns.back()) columns.push_back(column);
        const int indent = static_cast<int>(line.find_first_not_of(' '));
        if (indent < columns.back()) columns.push_back(indent);  // a new "- " item
        if (columns.back() == 0) break;
    }
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i)
        out += (i == 0 ? "" : i + 1 == columns.size() ? " or " : ", ") + std::to_string(columns[i]);
    return out + " spaces";
}

// The last '{' or '[' before (line, column) that no '}' or ']' closed, skipping quoted text and
// comments.
std::optional<std::pair<int, int>> unclosed_bracket(const std::vector<std::string_view>& lines,
                                                    int stop_line, int stop_column) {
    std::vector<std::pair<int, int>> open;
    for (int l = 0; l <= stop_line && l < static_cast<int>(lines.size()); ++l) {
        const auto line = lines[static_cast<std::size_t>(l)];
        char quote = 0;
        for (int c = 0; c < static_cast<int>(line.size()); ++c) {
            if (l == stop_line && c >= stop_column) break;
            const char ch = line[static_cast<std::size_t>(c)];
            if (quote) {
                if (ch == quote) quote = 0;
                continue;
            }
            if (ch == '"' || ch == '\'') quote = ch;
            if (ch == '#' && (c == 0 || line[static_cast<std::size_t>(c - 1)] == ' ')) break;
            if (ch == '{' || ch == '[') open.emplace_back(l, c);
            if ((ch == '}' || ch == ']') && !open.empty()) open.pop_back();
        }
    }
    if (open.empty()) return std::nullopt;
    return open.back();
}
}  // namespace

SyntaxProblem explain_syntax_error(const std::string& text, const YAML::Mark& mark,
                                   const std::string& yaml_message) {
    const auto lines = split_lines(text);
    const int line = std::max(mark.line, 0);
    const int column = std::max(mark.column, 0);
    const std::string said = " (YAML: " + yaml_message + ")";
    auto line_at = [&](int i) -> std::string_view {
        return i >= 0 && i < static_cast<int>(lines.size()) ? lines[static_cast<std::size_t>(i)]
                                                            : std::string_view();
    };

    for (const int i : {line, line - 1, line + 1})
        if (const auto tab = tab_in_indentation(line_at(i)))
            return {i + 1, *tab + 1,
                    "YAML syntax error: a tab in the indentation, expected spaces: YAML indents "
                    "with spaces only" +
                        said};

    // "a: b: c": yaml-cpp stops at the second colon.
    const auto here = line_at(line);
    if (column < static_cast<int>(here.size()) && here[static_cast<std::size_t>(column)] == ':' &&
        here.substr(0, static_cast<std::size_t>(column)).find(": ") != std::string_view::npos &&
        yaml_message.find("end of map not found") == std::string::npos)
        return {line + 1, column + 1,
                "YAML syntax error: a second ':' on one line, expected a value that holds ': ' "
                "in quotes, such as key: \"a: b\"" +
                    said};

    if (yaml_message.find("flow") != std::string::npos) {
        if (const auto open = unclosed_bracket(lines, line, column)) {
            const char bracket = line_at(open->first)[static_cast<std::size_t>(open->second)];
            return {line + 1, column + 1,
                    std::string("YAML syntax error: the '") + bracket + "' at line " +
                        std::to_string(open->first + 1) + " column " +
                        std::to_string(open->second + 1) + " is not closed, expected '" +
                        (bracket == '{' ? '}' : ']') + "' before this point" + said};
        }
    }

    const int above = previous_content_line(lines, line);
    if (has_content(here) && above >= 0) {
        const int mine = key_column(here);
        const auto above_text = line_at(above);
        const int theirs = key_column(above_text);
        const std::string where_above = "line " + std::to_string(above + 1);
        const bool layout_error = yaml_message.find("end of map") != std::string::npos ||
                                  yaml_message.find("end of sequence") != std::string::npos;
        if (layout_error && mine > theirs)
            return {line + 1, mine + 1,
                    "YAML syntax error: this line is indented " + spaces(mine) + ", more than " +
                        where_above + " above (" + spaces(theirs) + "), expected " +
                        spaces(theirs) + " for another key of the same map" + said};
        if (layout_error && mine < theirs)
            return {line + 1, mine + 1,
                    "YAML syntax error: the indentation of this line (" + spaces(mine) +
                        ") matches neither " + where_above +
                        " above nor a map around it, expected " + enclosing_columns(lines, above) +
                        said};
        if (yaml_message.find("illegal map value") != std::string::npos) {
            const auto trimmed = above_text.substr(0, above_text.find_last_not_of(' ') + 1);
            if (mine > theirs && !trimmed.ends_with(':'))
                return {line + 1, mine + 1,
                        "YAML syntax error: this line is indented " + spaces(mine) +
                            ", more than " + where_above + " above (" + spaces(theirs) +
                            "), so YAML reads it as part of the "
                            "value of " +
                            where_above + ", expected " + spaces(theirs) + said};
        }
    }
    return {line + 1, column + 1,
            "YAML syntax error: " + yaml_message + ", expected well-formed YAML"};
}

namespace {
// Aliases share nodes, so a document of nested aliases is a tree far larger than its text; the
// walk stops after this many nodes instead of taking exponential time.
constexpr std::size_t max_nodes_visited = 1'000'000;
// An anchor may hold an alias of itself (server: &a {interfaces: *a}); the walk stops at this
// depth, far deeper than any site config.
constexpr int max_depth = 200;

class MergeExpander {
  public:
    MergeExpander(const std::string& file, Diagnostics& out) : file_(file), out_(out) {}

    void visit(YAML::Node node, int depth = 0) {
        if (depth > max_depth) {
            if (!too_deep_reported_)
                error(node,
                      "values are nested more than " + std::to_string(max_depth) +
                          " deep (an alias inside its own anchor?), expected a shallower "
                          "document",
                      "");
            too_deep_reported_ = true;
            return;
        }
        if (++visited_ > max_nodes_visited) {
            if (visited_ == max_nodes_visited + 1)
                error(node,
                      "the document holds more than 1000000 values through its aliases, "
                      "expected fewer aliases of aliases",
                      "");
            return;
        }
        if (node.IsSequence()) {
            for (auto item : node) visit(item, depth + 1);
            return;
        }
        if (!node.IsMap()) return;
        std::vector<YAML::Node> sources;     // the maps of each "<<", in order
        std::vector<YAML::Node> merge_keys;  // the "<<" keys themselves, removed below
        for (auto item : node) {
            if (item.first.IsScalar() && item.first.Scalar() == "<<" &&
                item.first.Tag() == "?") {  // a quoted "<<" is an ordinary key
                merge_keys.push_back(item.first);
                collect(item.second, sources);
            } else {
                visit(item.second, depth + 1);
            }
        }
        if (merge_keys.empty()) return;
        for (auto& source : sources) visit(source, depth + 1);
        std::vector<std::pair<YAML::Node, YAML::Node>> added;
        auto known = [&](const std::string& key) {
            if (key == "<<") return true;
            for (auto item : node)
                if (item.first.IsScalar() && item.first.Scalar() == key) return true;
            for (const auto& [k, v] : added)
                if (k.Scalar() == key) return true;
            return false;
        };
        for (const auto& source : sources)
            for (auto item : source)
                if (item.first.IsScalar() && !known(item.first.Scalar()))
                    added.emplace_back(item.first, item.second);
        for (const auto& key : merge_keys) node.remove(key);  // by identity, not by text
        for (const auto& [key, value] : added) node.force_insert(key, value);
    }

  private:
    void collect(const YAML::Node& value, std::vector<YAML::Node>& sources) {
        if (value.IsMap()) {
            sources.push_back(value);
        } else if (value.IsSequence()) {
            for (const auto& item : value) {
                if (item.IsMap())
                    sources.push_back(item);
                else
                    error(item, describe(item) +
                                    " cannot be merged, expected a map such as *defaults in "
                                    "<<: [*defaults, *more]");
            }
        } else {
            error(value, describe(value) +
                             " cannot be merged, expected a map (<<: *defaults) or a list of "
                             "maps (<<: [*defaults, *more])");
        }
    }

    void error(const YAML::Node& node, std::string message, std::string key_path = "<<") {
        const YAML::Mark mark = node.Mark();
        out_.errors.push_back({{file_, std::max(mark.line, 0) + 1, std::max(mark.column, 0) + 1},
                               std::move(key_path),
                               std::move(message)});
    }

    const std::string& file_;
    Diagnostics& out_;
    std::size_t visited_ = 0;
    bool too_deep_reported_ = false;
};
}  // namespace

void expand_merge_keys(YAML::Node& root, const std::string& file, Diagnostics& out) {
    MergeExpander(file, out).visit(root);
}

}  // namespace castline::config::detail
