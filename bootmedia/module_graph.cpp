#include "bootmedia/module_graph.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "bootmedia/error.hpp"

namespace castline::bootmedia {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_words(std::string_view s) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) words.push_back(s.substr(start, i - start));
    }
    return words;
}

}  // namespace

std::string normalize_module_name(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

std::string module_name_from_path(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
    // Compressed modules (".ko.xz", ".ko.zst") have the same name as plain ones.
    const std::size_t ko = file.find(".ko");
    if (ko != std::string_view::npos) file = file.substr(0, ko);
    return normalize_module_name(file);
}

void ModuleGraph::add(KernelModule module) {
    module.name = normalize_module_name(module.name);
    for (auto& dep : module.depends) dep = normalize_module_name(dep);
    for (auto& dep : module.soft_pre) dep = normalize_module_name(dep);
    const std::string name = module.name;
    if (!modules_.emplace(name, std::move(module)).second)
        throw BootmediaError("two kernel modules are named " + name);
}

const KernelModule* ModuleGraph::find(std::string_view name) const {
    const auto it = modules_.find(normalize_module_name(name));
    return it == modules_.end() ? nullptr : &it->second;
}

std::vector<const KernelModule*> ModuleGraph::load_order(
    std::span<const std::string> requested) const {
    std::vector<const KernelModule*> order;
    std::set<std::string> done;
    std::set<std::string> visiting;  // guards against a dependency cycle in a broken modules.dep
    std::set<std::string> missing;
    std::function<void(const std::string&, const std::string&)> visit =
        [&](const std::string& name, const std::string& needed_by) {
            if (done.contains(name) || visiting.contains(name)) return;
            const KernelModule* module = find(name);
            if (module == nullptr) {
                missing.insert(needed_by.empty() ? name : name + " (needed by " + needed_by + ")");
                return;
            }
            visiting.insert(name);
            for (const auto& dep : module->soft_pre)
                if (find(dep) != nullptr) visit(dep, name);
            for (const auto& dep : module->depends) visit(dep, name);
            visiting.erase(name);
            done.insert(name);
            order.push_back(module);
        };
    for (const auto& name : requested) visit(normalize_module_name(name), "");
    if (!missing.empty()) {
        std::string message = "kernel modules not found in this kernel:";
        for (const auto& m : missing) message += " " + m;
        throw BootmediaError(message);
    }
    return order;
}

ModuleGraph parse_modules_dep(std::string_view text) {
    ModuleGraph graph;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = trim(text.substr(start, end - start));
        start = end + 1;
        ++line_number;
        if (line.empty() || line.front() == '#') continue;
        const std::size_t colon = line.find(':');
        const std::string_view path =
            colon == std::string_view::npos ? "" : trim(line.substr(0, colon));
        if (path.empty() || path.find(".ko") == std::string_view::npos)
            throw BootmediaError("modules.dep:" + std::to_string(line_number) +
                                 ": expected 'MODULE.ko: DEPENDENCIES'");
        KernelModule module{module_name_from_path(path), std::string(path), {}};
        for (const auto word : split_words(line.substr(colon + 1)))
            module.depends.push_back(module_name_from_path(word));
        graph.add(std::move(module));
    }
    return graph;
}

std::string format_modules_dep(std::span<const KernelModule* const> modules) {
    std::map<std::string, const KernelModule*> by_name;
    for (const auto* m : modules) by_name.emplace(m->name, m);
    std::string out;
    for (const auto* module : modules) {
        // The closure in load order, found depth first; depmod lists it reversed.
        std::vector<const KernelModule*> closure;
        std::set<std::string> seen;
        std::function<void(const KernelModule&)> visit = [&](const KernelModule& m) {
            for (const auto& dep : m.depends) {
                const auto it = by_name.find(dep);
                if (it == by_name.end() || !seen.insert(dep).second) continue;
                visit(*it->second);
                closure.push_back(it->second);
            }
        };
        visit(*module);
        out += module->path + ":";
        for (auto it = closure.rbegin(); it != closure.rend(); ++it) out += " " + (*it)->path;
        out += "\n";
    }
    return out;
}

}  // namespace castline::bootmedia
