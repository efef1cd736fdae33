// Minimal loader for the fixed keys; the config issue replaces it with full validation.
#include "config/loader.hpp"

#include <yaml-cpp/yaml.h>

namespace castline::config {

std::string Diagnostic::to_string() const {
    return location.to_string() + ": " + key_path + ": " + message;
}

namespace {
LoadResult load_node(const YAML::Node& root, const std::filesystem::path& file) {
    LoadResult result;
    SiteConfig config;
    config.file = file;
    const auto base = file.parent_path();
    if (auto server = root["server"]) {
        if (auto ifs = server["interfaces"])
            for (const auto& i : ifs) config.server.interfaces.push_back(i.as<std::string>());
        if (auto d = server["data_dir"]) config.server.data_dir = base / d.as<std::string>();
        if (auto l = server["log_level"])
            config.server.log_level =
                log::parse_level(l.as<std::string>()).value_or(log::Level::info);
    }
    if (auto boot = root["boot"]) {
        if (auto r = boot["root"]) config.boot.root = base / r.as<std::string>();
        if (auto p = boot["tftp_port"]) config.boot.tftp_port = p.as<std::uint16_t>();
        if (auto p = boot["http_port"]) config.boot.http_port = p.as<std::uint16_t>();
    }
    result.config = std::move(config);
    return result;
}
}  // namespace

LoadResult load_file(const std::filesystem::path& path) {
    try {
        return load_node(YAML::LoadFile(path.string()), path);
    } catch (const YAML::Exception& e) {
        LoadResult result;
        result.diagnostics.push_back(
            {{path.string(), e.mark.line + 1, e.mark.column + 1}, "", e.msg});
        return result;
    }
}

LoadResult load_string(const std::string& text, const std::string& name) {
    try {
        return load_node(YAML::Load(text), name);
    } catch (const YAML::Exception& e) {
        LoadResult result;
        result.diagnostics.push_back({{name, e.mark.line + 1, e.mark.column + 1}, "", e.msg});
        return result;
    }
}

std::vector<Diagnostic> check_machine(const SiteConfig&) {
    return {};
}

}  // namespace castline::config
