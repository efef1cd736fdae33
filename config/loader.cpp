// Loads a site config: reads the top file and every file it includes, parses each section,
// merges hosts and named entries across files, then checks the merged whole. Nothing here throws
// to the caller: every problem, down to a yaml-cpp exception, becomes a Diagnostic.
#include "config/loader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <system_error>

#include "config/section_parsers.hpp"
#include "config/validators.hpp"
#include "config/yaml_syntax.hpp"

namespace castline::config {

std::string Diagnostic::to_string() const {
    std::string out = location.to_string() + ": ";
    if (severity == Severity::warning) out += "warning: ";
    if (!key_path.empty()) out += key_path + ": ";
    return out + message;
}

namespace detail {
namespace {
constexpr std::uintmax_t max_file_size = 64 * 1024 * 1024;
constexpr std::size_t max_include_depth = 16;

// The sections any file may hold, as parsed from one file before merging.
struct FileSections {
    std::vector<Host> hosts;
    std::vector<Group> groups;
    std::vector<Image> images;
    std::vector<Session> sessions;
    std::vector<PostConfig> postconfig;
    std::vector<Schedule> schedules;
    std::vector<Rollout> rollouts;
};

class Loader {
  public:
    LoadResult load(const std::string& label, const std::optional<std::string>& text);

  private:
    // Both return whether the file was a map at all (else the whole-config checks are noise).
    bool load_file(const std::string& label, const std::filesystem::path& base_dir,
                   const YAML::Node& root, bool top);
    bool load_sections(Reader& reader, const YAML::Node& root, bool top);
    void load_include(const YAML::Node& entry, const std::string& path, Reader& from);
    std::optional<YAML::Node> parse_text(const std::string& label, const std::string& text);
    void merge(FileSections& sections);
    template <typename T>
    void merge_named(std::vector<T>& items, std::map<std::string, T>& into, std::string_view what);
    void sort_diagnostics();

    Diagnostics out_;
    SiteConfig config_;
    std::vector<std::string> file_order_;  // labels in the order read, to sort diagnostics
    std::vector<std::filesystem::path> include_stack_;  // canonical paths being read, for cycles
    std::map<std::filesystem::path, SourceLocation> included_at_;
};

// Reads a whole config file. Opened without blocking and checked after opening, so that a path
// naming a FIFO, a device or a blocking /proc file is refused instead of hanging the loader.
std::optional<std::string> read_file(const std::filesystem::path& path, std::string& problem) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        problem = errno == ENOENT ? "does not exist"
                                  : "cannot be opened (" + std::string(std::strerror(errno)) + ")";
        return std::nullopt;
    }
    std::string content;
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        problem = "is not a regular file";
    } else if (static_cast<std::uintmax_t>(info.st_size) > max_file_size) {
        problem = "is larger than 64 MiB";
    } else {
        char buffer[65536];
        while (true) {
            const ssize_t got = ::read(fd, buffer, sizeof buffer);
            if (got > 0) {
                content.append(buffer, static_cast<std::size_t>(got));
                if (content.size() > max_file_size) {
                    problem = "is larger than 64 MiB";
                    break;
                }
                continue;
            }
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) problem = "cannot be read (" + std::string(std::strerror(errno)) + ")";
            break;
        }
    }
    ::close(fd);
    if (!problem.empty()) return std::nullopt;
    return content;
}

std::filesystem::path canonical_or_same(const std::filesystem::path& path) {
    std::error_code error;
    auto canonical = std::filesystem::weakly_canonical(path, error);
    return error ? path.lexically_normal() : canonical;
}

std::optional<YAML::Node> Loader::parse_text(const std::string& label, const std::string& text) {
    try {
        auto root = YAML::Load(text);
        expand_merge_keys(root, label, out_);
        return root;
    } catch (const YAML::Exception& e) {
        const auto problem = explain_syntax_error(text, e.mark, e.msg);
        add_error(out_, SourceLocation{label, problem.line, problem.column}, "", problem.message);
    } catch (const std::exception& e) {
        add_error(out_, SourceLocation{label, 1, 1}, "",
                  std::string("cannot parse the file: ") + e.what());
    }
    return std::nullopt;
}

void Loader::load_include(const YAML::Node& entry, const std::string& path, Reader& from) {
    const auto file = from.file_path(entry, path);
    if (!file) return;
    const SourceLocation where = from.at(entry);
    if (include_stack_.size() >= max_include_depth) {
        from.error(where, path,
                   "includes are nested more than " + std::to_string(max_include_depth) +
                       " deep, expected a shallower tree of includes");
        return;
    }
    const auto canonical = canonical_or_same(*file);
    if (std::find(include_stack_.begin(), include_stack_.end(), canonical) !=
        include_stack_.end()) {
        from.error(where, path,
                   quote(file->string()) +
                       " includes itself (an include cycle), expected a "
                       "file that is not already being read");
        return;
    }
    const auto [first, inserted] = included_at_.try_emplace(canonical, where);
    if (!inserted) {
        from.error(where, path,
                   quote(file->string()) + " is already included at " + first->second.to_string() +
                       ", expected each file once");
        return;
    }
    std::string problem;
    const auto text = read_file(*file, problem);
    if (!text) {
        from.error(where, path, quote(file->string()) + " " + problem + ", expected a YAML file");
        return;
    }
    const std::string label = file->string();
    config_.included_files.push_back(*file);
    file_order_.push_back(label);
    const auto root = parse_text(label, *text);
    if (!root) return;
    include_stack_.push_back(canonical);
    load_file(label, file->parent_path(), *root, false);
    include_stack_.pop_back();
}

bool Loader::load_file(const std::string& label, const std::filesystem::path& base_dir,
                       const YAML::Node& root, bool top) {
    Reader reader(label, base_dir, out_);
    try {
        return load_sections(reader, root, top);
    } catch (const std::exception& e) {
        // Something the parsers did not expect from yaml-cpp: name this file, never crash.
        reader.error(SourceLocation{label, 1, 1}, "",
                     std::string("cannot read this file: ") + e.what());
        return false;
    }
}

bool Loader::load_sections(Reader& reader, const YAML::Node& root, bool top) {
    const std::filesystem::path& base_dir = reader.base_dir();
    if (!root || root.IsNull()) {
        reader.error(root, "",
                     top ? "the file is empty, expected a map starting with version: 1"
                         : "the file is empty, expected a map with hosts, groups, ...");
        return false;
    }
    MapView map(reader, root, "",
                {"version", "include", "server", "dhcp", "boot", "wake", "hosts", "groups",
                 "images", "sessions", "postconfig", "schedules", "rollouts"});
    if (!map.is_map()) return false;

    if (const auto* version = top ? map.require("version", "version: 1") : map.get("version")) {
        if (const auto v = reader.text(*version, "version", "version: 1"); v && *v != "1")
            reader.error(*version, "version",
                         quote(*v) + " is not a schema version castline knows, expected 1");
    }
    if (top) {
        config_.server.location = map.location();
        // Defaults that are paths are relative to the config file too.
        config_.server.data_dir = (base_dir / "state").lexically_normal();
        config_.boot.root = (base_dir / "boot").lexically_normal();
        if (const auto* v = map.get("server")) parse_server(reader, *v, config_.server);
        if (const auto* v = map.get("boot")) parse_boot(reader, *v, config_.boot);
        if (const auto* v = map.get("dhcp")) parse_dhcp(reader, *v, config_.dhcp);
        if (const auto* v = map.get("wake")) parse_wake(reader, *v, config_.wake);
    } else {
        for (const auto key : {"server", "dhcp", "boot", "wake"})
            if (const auto* v = map.get(key))
                reader.error(reader.at(*v), key,
                             "only the top-level site config may set " + std::string(key) +
                                 ", expected it in " + file_order_.front());
    }

    FileSections sections;
    const LoaderSet& loaders = config_.boot.loaders;
    if (const auto* v = map.get("groups")) parse_groups(reader, *v, loaders, sections.groups);
    if (const auto* v = map.get("images")) parse_images(reader, *v, sections.images);
    if (const auto* v = map.get("sessions")) parse_sessions(reader, *v, sections.sessions);
    if (const auto* v = map.get("postconfig")) parse_postconfig(reader, *v, sections.postconfig);
    if (const auto* v = map.get("schedules")) parse_schedules(reader, *v, sections.schedules);
    if (const auto* v = map.get("rollouts")) parse_rollouts(reader, *v, sections.rollouts);
    if (const auto* v = map.get("hosts")) parse_hosts(reader, *v, loaders, sections.hosts);
    merge(sections);

    if (const auto* v = map.get("include")) {
        if (v->IsScalar()) {
            load_include(*v, "include", reader);
        } else if (reader.is_list(*v, "include", "YAML files like [fleet/hosts-a.yaml]") &&
                   v->IsSequence()) {
            std::size_t index = 0;
            for (const auto& entry : *v)
                load_include(entry, "include[" + std::to_string(index++) + "]", reader);
        }
    }
    return true;
}

template <typename T>
void Loader::merge_named(std::vector<T>& items, std::map<std::string, T>& into,
                         std::string_view what) {
    for (auto& item : items) {
        const auto found = into.find(item.name);
        if (found != into.end()) {
            out_.errors.push_back({item.location, item.key_path,
                                   std::string(what) + " " + quote(item.name) +
                                       " is already defined at " +
                                       found->second.location.to_string() +
                                       ", expected each name once across included files"});
            continue;
        }
        std::string name = item.name;
        into.emplace(std::move(name), std::move(item));
    }
}

void Loader::merge(FileSections& s) {
    if (config_.hosts.empty())
        config_.hosts = std::move(s.hosts);
    else
        std::move(s.hosts.begin(), s.hosts.end(), std::back_inserter(config_.hosts));
    merge_named(s.groups, config_.groups, "group");
    merge_named(s.images, config_.images, "image");
    merge_named(s.sessions, config_.sessions, "session");
    merge_named(s.postconfig, config_.postconfig, "postconfig");
    merge_named(s.schedules, config_.schedules, "schedule");
    merge_named(s.rollouts, config_.rollouts, "rollout");
}

void Loader::sort_diagnostics() {
    auto rank = [&](const Diagnostic& d) {
        const auto found = std::find(file_order_.begin(), file_order_.end(), d.location.file);
        return std::tuple(found - file_order_.begin(), d.location.line, d.location.column);
    };
    for (auto* list : {&out_.errors, &out_.warnings})
        std::stable_sort(list->begin(), list->end(), [&](const Diagnostic& a, const Diagnostic& b) {
            return rank(a) < rank(b);
        });
}

LoadResult Loader::load(const std::string& label, const std::optional<std::string>& given_text) {
    LoadResult result;
    file_order_.push_back(label);
    try {
        const std::filesystem::path path(label);
        config_.file = path;
        config_.server.location = {label, 1, 1};
        std::optional<std::string> text = given_text;
        if (!text) {
            std::string problem;
            text = read_file(path, problem);
            if (!text)
                out_.errors.push_back(
                    {{label, 1, 1}, "", "the file " + problem + ", expected a YAML site config"});
        }
        if (text) {
            if (const auto root = parse_text(label, *text)) {
                include_stack_.push_back(canonical_or_same(path));
                if (load_file(label, path.parent_path(), *root, true)) {
                    check_references(config_, out_);
                    check_conflicts(config_, out_);
                    check_files(config_, out_);
                    check_served_files(config_, out_);
                }
            }
        }
    } catch (const std::exception& e) {
        // A yaml-cpp or library exception the parsers did not expect: report it, never crash.
        out_.errors.push_back(
            {{label, 1, 1}, "", std::string("cannot load the config: ") + e.what()});
    }
    sort_diagnostics();
    result.diagnostics = std::move(out_.errors);
    result.warnings = std::move(out_.warnings);
    if (result.diagnostics.empty()) result.config = std::move(config_);
    return result;
}
}  // namespace
}  // namespace detail

LoadResult load_file(const std::filesystem::path& path) {
    return detail::Loader().load(path.string(), std::nullopt);
}

LoadResult load_string(const std::string& text, const std::string& name) {
    return detail::Loader().load(name, text);
}

}  // namespace castline::config
