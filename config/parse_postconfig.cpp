// postconfig: what the imager writes into a restored system for each host (sysprep.inf sections,
// unattend.xml settings, file drops), with ${variables} filled per host.
#include <algorithm>

#include "config/section_parsers.hpp"
#include "config/template_variables.hpp"

namespace castline::config::detail {
namespace {
constexpr std::string_view unattend_passes[] = {"windowsPE",  "offlineServicing", "generalize",
                                                "specialize", "auditSystem",      "auditUser",
                                                "oobeSystem"};

// A path inside the restored partition: relative or rooted, but never climbing out with "..".
bool is_partition_path(std::string_view text) {
    if (text.empty()) return false;
    const std::filesystem::path value(text);
    return std::none_of(value.begin(), value.end(), [](const auto& part) { return part == ".."; });
}

// A value that may hold ${variables}: reports a broken reference.
std::optional<std::string> template_text(Reader& reader, const YAML::Node& node,
                                         const std::string& path) {
    auto text = reader.text(node, path, "a value, may hold ${variables}");
    if (!text) return std::nullopt;
    const auto scan = scan_template(*text);
    if (scan.error) {
        reader.error(node, path, *scan.error);
        return std::nullopt;
    }
    return text;
}

void parse_sysprep(Reader& reader, const YAML::Node& node, const std::string& path,
                   PostConfig& out) {
    // sysprep: {Section: {Key: value}}; INI sections and keys cannot hold ']', '=' or newlines.
    auto ini_word = [](std::string_view w) {
        return !w.empty() && w.find_first_of("[]=\r\n;") == std::string_view::npos;
    };
    if (!node || node.IsNull()) return;
    if (!node.IsMap()) {
        reader.error(node, path,
                     describe(node) +
                         " is not a map, expected {Section: {Key: value}} like "
                         "{UserData: {ComputerName: \"${name}\"}}");
        return;
    }
    for (const auto& section : node) {
        const auto name = reader.text(section.first, path, "an INI section name");
        if (!name) continue;
        const std::string section_path = path + "." + *name;
        if (!ini_word(*name)) {
            reader.error(section.first, section_path,
                         quote(*name) +
                             " is not an INI section name, expected a word without "
                             "'[', ']', '=', ';' or line breaks");
            continue;
        }
        if (!section.second.IsMap()) {
            reader.error(section.second, section_path,
                         describe(section.second) + " is not a map, expected {Key: value}");
            continue;
        }
        for (const auto& entry : section.second) {
            const auto key = reader.text(entry.first, section_path, "an INI key");
            if (!key) continue;
            const std::string key_path = section_path + "." + *key;
            if (!ini_word(*key)) {
                reader.error(entry.first, key_path,
                             quote(*key) +
                                 " is not an INI key, expected a word without '[', "
                                 "']', '=', ';' or line breaks");
                continue;
            }
            if (auto value = template_text(reader, entry.second, key_path))
                out.sysprep.push_back({*name, *key, *value});
        }
    }
}

void parse_unattend(Reader& reader, const YAML::Node& node, const std::string& path,
                    PostConfig& out) {
    if (!node || node.IsNull()) return;
    if (!node.IsMap()) {
        reader.error(node, path,
                     describe(node) + " is not a map, expected {pass/component/setting: value}");
        return;
    }
    const std::vector<std::string_view> passes(std::begin(unattend_passes),
                                               std::end(unattend_passes));
    for (const auto& entry : node) {
        const auto key = reader.text(entry.first, path, "pass/component/setting");
        if (!key) continue;
        const std::string key_path = path + "." + *key;
        const auto slash = key->find('/');
        const std::string pass = key->substr(0, slash);
        if (std::find(passes.begin(), passes.end(), pass) == passes.end()) {
            reader.error(entry.first, key_path,
                         quote(pass) + " is not an unattend pass" +
                             suggestion_suffix(did_you_mean(pass, passes)) + ", expected " +
                             one_of(passes) + " as the first part of pass/component/setting");
            continue;
        }
        const std::string rest = slash == std::string::npos ? "" : key->substr(slash + 1);
        const auto second = rest.find('/');
        if (rest.empty() || second == std::string::npos || second == 0 ||
            second + 1 >= rest.size() || key->find("//") != std::string::npos) {
            reader.error(entry.first, key_path,
                         quote(*key) +
                             " names no setting, expected pass/component/setting like "
                             "specialize/Microsoft-Windows-Shell-Setup/ComputerName");
            continue;
        }
        if (auto value = template_text(reader, entry.second, key_path))
            out.unattend.push_back({*key, *value});
    }
}

void parse_files(Reader& reader, const YAML::Node& node, const std::string& path, PostConfig& out) {
    if (!reader.is_list(node, path, "file drops like {source: ..., target: ...}") ||
        !node.IsSequence())
        return;
    std::size_t index = 0;
    for (const auto& item : node) {
        const std::string item_path = path + "[" + std::to_string(index++) + "]";
        MapView map(reader, item, item_path, {"source", "target", "render"});
        FileDrop drop;
        drop.location = map.location();
        drop.key_path = item_path;
        bool good = map.is_map();
        if (const auto* v = map.require("source", "the file to copy, relative to this config")) {
            if (auto p = reader.file_path(*v, map.path("source")))
                drop.source = *p;
            else
                good = false;
        } else {
            good = false;
        }
        if (const auto* v = map.require("target", "the path inside the partition")) {
            const auto text = reader.text(*v, map.path("target"), "a path inside the partition");
            if (text && is_partition_path(*text)) {
                drop.target = *text;
            } else {
                if (text)
                    reader.error(*v, map.path("target"),
                                 quote(*text) +
                                     " is not a path inside the partition, expected "
                                     "one without \"..\" like Windows/Setup/a.cmd");
                good = false;
            }
        } else {
            good = false;
        }
        if (const auto* v = map.get("render"))
            if (auto b = reader.boolean(*v, map.path("render"))) drop.render = *b;
        if (good) out.files.push_back(std::move(drop));
    }
}
}  // namespace

void parse_postconfig(Reader& reader, const YAML::Node& node, std::vector<PostConfig>& out) {
    for_each_named(
        reader, node, "postconfig", "postconfig",
        [&](const std::string& name, const YAML::Node&, const YAML::Node& value) {
            const std::string path = "postconfig." + name;
            MapView map(reader, value, path,
                        {"partition", "sysprep_path", "sysprep", "sysprep_update", "unattend_path",
                         "unattend", "files"});
            if (!map.is_map()) return;
            PostConfig pc;
            pc.name = name;
            pc.location = map.location();
            pc.key_path = path;
            map.record(pc.fields);
            if (const auto* v = map.get("partition"))
                if (auto text = reader.text(*v, map.path("partition"),
                                            "a partition number like 2 or a label")) {
                    if (text->empty())
                        reader.error(*v, map.path("partition"),
                                     "is empty, expected a partition number like 2 or a label");
                    else
                        pc.partition = *text;
                }
            for (const auto key : {"sysprep_path", "unattend_path"}) {
                if (const auto* v = map.get(key)) {
                    const auto text = reader.text(*v, map.path(key), "a path inside the partition");
                    if (text && is_partition_path(*text))
                        (std::string_view(key) == "sysprep_path" ? pc.sysprep_path
                                                                 : pc.unattend_path) = *text;
                    else if (text)
                        reader.error(*v, map.path(key),
                                     quote(*text) +
                                         " is not a path inside the partition, "
                                         "expected one without \"..\"");
                }
            }
            if (const auto* v = map.get("sysprep"))
                parse_sysprep(reader, *v, map.path("sysprep"), pc);
            if (const auto* v = map.get("sysprep_update"))
                if (auto p = reader.file_path(*v, map.path("sysprep_update")))
                    pc.sysprep_update = *p;
            if (const auto* v = map.get("unattend"))
                parse_unattend(reader, *v, map.path("unattend"), pc);
            if (const auto* v = map.get("files")) parse_files(reader, *v, map.path("files"), pc);
            out.push_back(std::move(pc));
        });
}

}  // namespace castline::config::detail
