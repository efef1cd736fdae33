#include "config/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/duration.hpp"

namespace castline::config::detail {

std::string quote(std::string_view text) {
    constexpr std::size_t limit = 80;
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0x0f];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (text.size() > limit) out += "...";
    out += '"';
    return out;
}

std::string describe(const YAML::Node& node) {
    if (!node || node.IsNull()) return "no value";
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a map";
    return quote(node.Scalar());
}

std::string one_of(const std::vector<std::string_view>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

bool is_valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.';
    });
}

SourceLocation Reader::at(const YAML::Node& node) const {
    // yaml-cpp counts from 0 and gives -1 for nodes without a position.
    const YAML::Mark mark = node ? node.Mark() : YAML::Mark::null_mark();
    return {file_, std::max(mark.line, 0) + 1, std::max(mark.column, 0) + 1};
}

void Reader::error(SourceLocation where, std::string key_path, std::string message) {
    out_.errors.push_back({std::move(where), std::move(key_path), std::move(message)});
}

void Reader::warning(SourceLocation where, std::string key_path, std::string message) {
    out_.warnings.push_back(
        {std::move(where), std::move(key_path), std::move(message), Diagnostic::Severity::warning});
}

std::optional<std::string> Reader::text(const YAML::Node& node, const std::string& path,
                                        std::string_view expected) {
    if (node && node.IsScalar()) return node.Scalar();
    error(node, path, describe(node) + " is not a single value, expected " + std::string(expected));
    return std::nullopt;
}

std::optional<std::int64_t> Reader::integer(const YAML::Node& node, const std::string& path,
                                            std::int64_t min, std::int64_t max) {
    const std::string range = std::to_string(min) + ".." + std::to_string(max);
    const auto word = text(node, path, "a whole number in " + range);
    if (!word) return std::nullopt;
    std::int64_t value = 0;
    const char* begin = word->data();
    const char* end = begin + word->size();
    if (begin != end && *begin == '+') ++begin;
    const auto [stop, problem] = std::from_chars(begin, end, value);
    if (problem == std::errc::result_out_of_range ||
        (problem == std::errc{} && stop == end && (value < min || value > max))) {
        error(node, path, quote(*word) + " is out of range, expected a whole number in " + range);
        return std::nullopt;
    }
    if (problem != std::errc{} || stop != end || begin == end) {
        error(node, path, quote(*word) + " is not a whole number, expected one in " + range);
        return std::nullopt;
    }
    return value;
}

std::optional<double> Reader::number(const YAML::Node& node, const std::string& path, double min,
                                     double max) {
    auto format = [](double v) {
        std::string s = std::to_string(v);
        while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.'))
            s.pop_back();
        return s;
    };
    const std::string range = format(min) + ".." + format(max);
    const auto word = text(node, path, "a number in " + range);
    if (!word) return std::nullopt;
    double value = 0;
    const char* end = word->data() + word->size();
    const auto [stop, problem] = std::from_chars(word->data(), end, value);
    if (problem != std::errc{} || stop != end || !std::isfinite(value)) {
        error(node, path, quote(*word) + " is not a number, expected one in " + range);
        return std::nullopt;
    }
    if (value < min || value > max) {
        error(node, path, quote(*word) + " is out of range, expected a number in " + range);
        return std::nullopt;
    }
    return value;
}

std::optional<bool> Reader::boolean(const YAML::Node& node, const std::string& path) {
    const auto word = text(node, path, "true or false");
    if (!word) return std::nullopt;
    if (*word == "true" || *word == "True" || *word == "TRUE") return true;
    if (*word == "false" || *word == "False" || *word == "FALSE") return false;
    error(node, path, quote(*word) + " is not a boolean, expected true or false");
    return std::nullopt;
}

std::optional<std::uint16_t> Reader::port(const YAML::Node& node, const std::string& path) {
    const auto value = integer(node, path, 0, 65535);
    if (!value) return std::nullopt;
    return static_cast<std::uint16_t>(*value);
}

namespace {
std::string seconds_text(std::chrono::seconds s) {
    const auto n = s.count();
    if (n != 0 && n % 86400 == 0) return std::to_string(n / 86400) + "d";
    if (n != 0 && n % 3600 == 0) return std::to_string(n / 3600) + "h";
    if (n != 0 && n % 60 == 0) return std::to_string(n / 60) + "m";
    return std::to_string(n) + "s";
}
std::string millis_text(std::chrono::milliseconds ms) {
    if (ms.count() % 1000 == 0) return seconds_text(std::chrono::seconds(ms.count() / 1000));
    return std::to_string(ms.count()) + "ms";
}
}  // namespace

std::optional<std::chrono::seconds> Reader::duration(const YAML::Node& node,
                                                     const std::string& path,
                                                     std::chrono::seconds min,
                                                     std::chrono::seconds max) {
    const std::string range = seconds_text(min) + " to " + seconds_text(max);
    const auto word = text(node, path, "a duration such as 90s, 15m or 1h30m");
    if (!word) return std::nullopt;
    const auto value = parse_duration(*word);
    if (!value) {
        error(node, path,
              quote(*word) +
                  " is not a duration, expected a number with s, m, h, d or w, such "
                  "as 90s, 15m or 1h30m");
        return std::nullopt;
    }
    if (*value < min || *value > max) {
        error(node, path, quote(*word) + " is out of range, expected " + range);
        return std::nullopt;
    }
    return value;
}

std::optional<std::chrono::milliseconds> Reader::duration_ms(const YAML::Node& node,
                                                             const std::string& path,
                                                             std::chrono::milliseconds min,
                                                             std::chrono::milliseconds max) {
    const std::string range = millis_text(min) + " to " + millis_text(max);
    const auto word = text(node, path, "a duration such as 500ms or 2s");
    if (!word) return std::nullopt;
    std::optional<std::chrono::milliseconds> value;
    if (word->size() > 2 && word->ends_with("ms")) {
        std::int64_t n = 0;
        const char* end = word->data() + word->size() - 2;
        const auto [stop, problem] = std::from_chars(word->data(), end, n);
        if (problem == std::errc{} && stop == end && n >= 0) value = std::chrono::milliseconds(n);
    } else if (const auto s = parse_duration(*word)) {
        value = std::chrono::duration_cast<std::chrono::milliseconds>(*s);
    }
    if (!value) {
        error(node, path,
              quote(*word) +
                  " is not a duration, expected a number with ms, s or m, such as "
                  "500ms or 2s");
        return std::nullopt;
    }
    if (*value < min || *value > max) {
        error(node, path, quote(*word) + " is out of range, expected " + range);
        return std::nullopt;
    }
    return value;
}

std::optional<std::uint64_t> Reader::size(const YAML::Node& node, const std::string& path,
                                          std::uint64_t min, std::uint64_t max) {
    const auto word = text(node, path, "a size such as 1472, 64KiB or 4GiB");
    if (!word) return std::nullopt;
    const auto value = parse_size(*word);
    if (!value) {
        error(node, path,
              quote(*word) +
                  " is not a size, expected a number of bytes with an optional unit "
                  "(KiB, MiB, GiB, kB, MB, GB), such as 1472 or 64KiB");
        return std::nullopt;
    }
    if (*value < min || *value > max) {
        error(node, path,
              quote(*word) + " is out of range, expected " + std::to_string(min) + " to " +
                  std::to_string(max) + " bytes");
        return std::nullopt;
    }
    return value;
}

std::optional<MacAddress> Reader::mac(const YAML::Node& node, const std::string& path) {
    constexpr std::string_view expected = "six hex octets like 52:54:00:12:34:56";
    const auto word = text(node, path, "a MAC address of " + std::string(expected));
    if (!word) return std::nullopt;
    const auto value = MacAddress::parse(*word);
    if (!value) {
        error(node, path,
              quote(*word) + " is not a MAC address, expected " + std::string(expected));
        return std::nullopt;
    }
    // The group bit (the lowest bit of the first octet) marks multicast and broadcast addresses,
    // which no network card has as its own.
    if (value->bytes[0] & 0x01) {
        error(node, path,
              quote(*word) + " is a " +
                  std::string(value->bytes == MacAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}.bytes
                                  ? "broadcast"
                                  : "multicast") +
                  " address (the first octet is odd), expected a machine's own unicast MAC like "
                  "52:54:00:12:34:56");
        return std::nullopt;
    }
    return value;
}

std::optional<Ipv4Address> Reader::ipv4(const YAML::Node& node, const std::string& path) {
    const auto word = text(node, path, "an IPv4 address like 198.18.0.1");
    if (!word) return std::nullopt;
    const auto value = Ipv4Address::parse(*word);
    if (!value) {
        error(node, path,
              quote(*word) +
                  " is not an IPv4 address, expected four numbers 0..255 like "
                  "198.18.0.1");
        return std::nullopt;
    }
    return value;
}

std::optional<std::filesystem::path> Reader::file_path(const YAML::Node& node,
                                                       const std::string& path) {
    const auto word = text(node, path, "a path");
    if (!word) return std::nullopt;
    if (word->empty() || word->find('\0') != std::string::npos) {
        error(node, path, quote(*word) + " is not a path, expected a file or folder name");
        return std::nullopt;
    }
    const std::filesystem::path value(*word);
    if (value.is_absolute()) return value.lexically_normal();
    return (base_dir_ / value).lexically_normal();
}

std::optional<std::string> Reader::name(const YAML::Node& node, const std::string& path,
                                        std::string_view what) {
    const std::string expected =
        std::string(what) + " name of letters, digits, '_', '-' and '.' (at most 64)";
    const auto word = text(node, path, "a " + expected);
    if (!word) return std::nullopt;
    if (!is_valid_name(*word)) {
        error(node, path, quote(*word) + " is not a valid name, expected a " + expected);
        return std::nullopt;
    }
    return word;
}

bool Reader::is_list(const YAML::Node& node, const std::string& path, std::string_view of_what) {
    if (!node || node.IsNull() || node.IsSequence()) return true;
    error(node, path,
          describe(node) + " is not a list, expected a list of " + std::string(of_what));
    return false;
}

std::optional<std::vector<std::string>> Reader::string_list(const YAML::Node& node,
                                                            const std::string& path) {
    if (!is_list(node, path, "strings")) return std::nullopt;
    std::vector<std::string> values;
    if (!node || node.IsNull()) return values;
    bool good = true;
    std::size_t index = 0;
    for (const auto& item : node) {
        const auto value = text(item, path + "[" + std::to_string(index++) + "]");
        if (value)
            values.push_back(*value);
        else
            good = false;
    }
    if (!good) return std::nullopt;
    return values;
}

std::map<std::string, std::string> Reader::variables(const YAML::Node& node,
                                                     const std::string& path) {
    std::map<std::string, std::string> values;
    if (!node || node.IsNull()) return values;
    if (!node.IsMap()) {
        error(node, path,
              describe(node) + " is not a map, expected variables like {OrgName: Example}");
        return values;
    }
    for (const auto& item : node) {
        const auto key = text(item.first, path, "a variable name");
        if (!key) continue;
        const std::string key_path = path + "." + *key;
        const bool good_name = !key->empty() && key->size() <= 64 &&
                               std::all_of(key->begin(), key->end(),
                                           [](char c) {
                                               return (c >= 'a' && c <= 'z') ||
                                                      (c >= 'A' && c <= 'Z') ||
                                                      (c >= '0' && c <= '9') || c == '_';
                                           }) &&
                               !((*key)[0] >= '0' && (*key)[0] <= '9');
        if (!good_name) {
            error(item.first, key_path,
                  quote(*key) +
                      " is not a variable name, expected letters, digits and '_', "
                      "not starting with a digit");
            continue;
        }
        const auto value = text(item.second, key_path, "a single value (text or number)");
        if (!value) continue;
        if (!values.emplace(*key, *value).second)
            error(item.first, key_path,
                  "variable " + quote(*key) + " is set twice, expected each variable once");
    }
    return values;
}

MapView::MapView(Reader& reader, const YAML::Node& node, std::string map_path,
                 std::initializer_list<std::string_view> keys)
    : reader_(reader), node_(node), path_(std::move(map_path)) {
    if (!node || node.IsNull()) {
        is_map_ = true;
        return;
    }
    if (!node.IsMap()) {
        reader_.error(node, path_,
                      describe(node) + " is not a map, expected keys " +
                          one_of(std::vector<std::string_view>(keys)));
        return;
    }
    is_map_ = true;
    std::vector<std::pair<std::string_view, YAML::Node>> key_nodes;  // for "first defined at"
    for (const auto& item : node) {
        if (!item.first.IsScalar()) {
            reader_.error(item.first, path_,
                          describe(item.first) + " is not a key, expected one of " +
                              one_of(std::vector<std::string_view>(keys)));
            continue;
        }
        const std::string& word = item.first.Scalar();
        const auto known = std::find(keys.begin(), keys.end(), word);
        if (known == keys.end()) {
            const std::vector<std::string_view> names(keys);
            reader_.error(item.first, path(word),
                          "unknown key " + quote(word) +
                              suggestion_suffix(did_you_mean(word, names)) + ", expected " +
                              one_of(names));
            continue;
        }
        const auto repeated = std::find_if(key_nodes.begin(), key_nodes.end(),
                                           [&](const auto& seen) { return seen.first == *known; });
        if (repeated != key_nodes.end()) {
            reader_.error(item.first, path(word),
                          "key " + quote(word) + " is written twice, first at " +
                              reader_.at(repeated->second).to_string() + ", expected it once");
            continue;
        }
        key_nodes.emplace_back(*known, item.first);
        entries_.push_back({*known, item.second});
    }
}

const YAML::Node* MapView::get(std::string_view key) const {
    for (const auto& entry : entries_)
        if (entry.key == key) return &entry.value;
    return nullptr;
}

const YAML::Node* MapView::require(std::string_view key, std::string_view expected) {
    const auto* value = get(key);
    if (!value && is_map_)
        reader_.error(location(), path(key), "missing, expected " + std::string(expected));
    return value;
}

SourceLocation MapView::fields_location(std::string_view key) const {
    const auto* value = get(key);
    return value ? reader_.at(*value) : location();
}

std::string MapView::path(std::string_view key) const {
    if (path_.empty()) return std::string(key);
    return path_ + "." + std::string(key);
}

void MapView::record(FieldLocations& fields) const {
    for (const auto& entry : entries_) fields.add(std::string(entry.key), reader_.at(entry.value));
}

}  // namespace castline::config::detail
