#pragma once
// Typed values out of yaml-cpp nodes. Every value that does not fit becomes one Diagnostic at the
// node's own line and column, and reading goes on, so that one load reports every problem.
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"
#include "config/did_you_mean.hpp"
#include "config/loader.hpp"

namespace castline::config::detail {

struct Diagnostics {
    std::vector<Diagnostic> errors;
    std::vector<Diagnostic> warnings;
};

// A value as it appears in a message: quoted, escaped, cut short when long.
std::string quote(std::string_view text);
// What a node is, for "wrong type" messages: "a list", "a map", "no value", or the quoted text.
std::string describe(const YAML::Node& node);
// "a", "a or b", "a, b or c".
std::string one_of(const std::vector<std::string_view>& words);
// A name of a group, image, session, ...: letters, digits, '_', '-', '.'; 1 to 64 characters.
bool is_valid_name(std::string_view name);

class Reader {
  public:
    Reader(std::string file, std::filesystem::path base_dir, Diagnostics& out)
        : file_(std::move(file)), base_dir_(std::move(base_dir)), out_(out) {}

    const std::string& file() const { return file_; }
    const std::filesystem::path& base_dir() const { return base_dir_; }
    Diagnostics& diagnostics() { return out_; }

    SourceLocation at(const YAML::Node& node) const;
    void error(SourceLocation where, std::string key_path, std::string message);
    void error(const YAML::Node& node, std::string key_path, std::string message) {
        error(at(node), std::move(key_path), std::move(message));
    }
    void warning(SourceLocation where, std::string key_path, std::string message);

    // Each returns nothing after reporting when the value does not fit.
    std::optional<std::string> text(const YAML::Node& node, const std::string& path,
                                    std::string_view expected = "a string");
    std::optional<std::int64_t> integer(const YAML::Node& node, const std::string& path,
                                        std::int64_t min, std::int64_t max);
    std::optional<double> number(const YAML::Node& node, const std::string& path, double min,
                                 double max);
    std::optional<bool> boolean(const YAML::Node& node, const std::string& path);
    // 0 is allowed: for the services it means off.
    std::optional<std::uint16_t> port(const YAML::Node& node, const std::string& path);
    std::optional<std::chrono::seconds> duration(const YAML::Node& node, const std::string& path,
                                                 std::chrono::seconds min,
                                                 std::chrono::seconds max);
    // Like duration, and also "250ms".
    std::optional<std::chrono::milliseconds> duration_ms(const YAML::Node& node,
                                                         const std::string& path,
                                                         std::chrono::milliseconds min,
                                                         std::chrono::milliseconds max);
    std::optional<std::uint64_t> size(const YAML::Node& node, const std::string& path,
                                      std::uint64_t min, std::uint64_t max);
    // A machine's own MAC: multicast and broadcast addresses are refused.
    std::optional<MacAddress> mac(const YAML::Node& node, const std::string& path);
    std::optional<Ipv4Address> ipv4(const YAML::Node& node, const std::string& path);
    // A file or folder path; a relative one is taken relative to this file's folder.
    std::optional<std::filesystem::path> file_path(const YAML::Node& node, const std::string& path);
    // A reference to or the name of a group, image, ... (see is_valid_name).
    std::optional<std::string> name(const YAML::Node& node, const std::string& path,
                                    std::string_view what);
    std::optional<std::vector<std::string>> string_list(const YAML::Node& node,
                                                        const std::string& path);
    // A map of variable names to scalar values, e.g. vars: {OrgName: Example}.
    std::map<std::string, std::string> variables(const YAML::Node& node, const std::string& path);

    // One word out of a fixed set, e.g. mode: proxy | full | off.
    template <typename Enum>
    std::optional<Enum> choice(const YAML::Node& node, const std::string& path,
                               std::initializer_list<std::pair<std::string_view, Enum>> options) {
        const auto word = text(node, path);
        if (!word) return std::nullopt;
        std::vector<std::string_view> names;
        for (const auto& [option, value] : options) {
            if (*word == option) return value;
            names.push_back(option);
        }
        error(node, path,
              quote(*word) + " is not allowed" + suggestion_suffix(did_you_mean(*word, names)) +
                  ", expected " + one_of(names));
        return std::nullopt;
    }

    // Reports anything but a list (no value counts as an empty list).
    bool is_list(const YAML::Node& node, const std::string& path, std::string_view of_what);

  private:
    std::string file_;
    std::filesystem::path base_dir_;
    Diagnostics& out_;
};

// One YAML map read in a single pass: each key is checked against the schema's keys (an unknown
// one gets a did-you-mean, a repeated one names the first), and values are handed out by key.
class MapView {
  public:
    // No value counts as an empty map; anything else that is not a map is reported.
    MapView(Reader& reader, const YAML::Node& node, std::string map_path,
            std::initializer_list<std::string_view> keys);

    bool is_map() const { return is_map_; }
    // The value of a key that was written, or nullptr.
    const YAML::Node* get(std::string_view key) const;
    // Like get, and reports a missing key at the map: "missing, expected <expected>".
    const YAML::Node* require(std::string_view key, std::string_view expected);
    std::string path(std::string_view key) const;
    const std::string& path() const { return path_; }
    SourceLocation location() const { return reader_.at(node_); }
    // Where the key's value was written, or the map's own location when it was not.
    SourceLocation fields_location(std::string_view key) const;
    const YAML::Node& node() const { return node_; }
    // Where each written key's value is, for checks made after parsing.
    void record(FieldLocations& fields) const;

  private:
    struct Entry {
        std::string_view key;
        YAML::Node value;
    };
    Reader& reader_;
    YAML::Node node_;
    std::string path_;
    bool is_map_ = false;
    std::vector<Entry> entries_;
};

// Visits each entry of a map of named things (groups, images, ...): checks the names and that
// each appears once, and calls visit(name, key_node, value_node) for the good ones.
template <typename Visit>
void for_each_named(Reader& reader, const YAML::Node& node, const std::string& path,
                    std::string_view what, Visit visit) {
    if (!node || node.IsNull()) return;
    if (!node.IsMap()) {
        reader.error(node, path,
                     describe(node) + " is not a map, expected " + std::string(what) +
                         " names as keys, e.g. " + path + ": {NAME: {...}}");
        return;
    }
    std::map<std::string, SourceLocation> seen;
    for (const auto& item : node) {
        const auto name = reader.name(item.first, path, what);
        if (!name) continue;
        const auto location = reader.at(item.first);
        const auto [first, inserted] = seen.emplace(*name, location);
        if (!inserted) {
            reader.error(location, path + "." + *name,
                         std::string(what) + " " + quote(*name) + " is already defined at " +
                             first->second.to_string() + ", expected each name once");
            continue;
        }
        visit(*name, item.first, item.second);
    }
}

}  // namespace castline::config::detail
