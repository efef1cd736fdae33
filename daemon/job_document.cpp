#include "daemon/job_document.hpp"

#include <fstream>
#include <iterator>
#include <map>

#include "common/multicast_defaults.hpp"
#include "common/utf8.hpp"
#include "config/template_variables.hpp"

namespace castline::daemon {
namespace {

using nlohmann::json;

std::string read_whole(const std::filesystem::path& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw JobError("cannot read " + what + " " + path.string());
    return {std::istreambuf_iterator<char>(in), {}};
}

// A file whose bytes go into the job as JSON text: bytes that are not UTF-8 would reach the
// imager changed (a password that no longer matches), so the job fails naming the file.
std::string read_text(const std::filesystem::path& path, const std::string& what) {
    auto text = read_whole(path, what);
    if (!is_valid_utf8(text)) throw JobError(what + " " + path.string() + " is not UTF-8 text");
    return text;
}

// The first line, as password files hold it.
std::string read_password(const std::filesystem::path& path, const std::string& what) {
    auto text = read_text(path, what);
    text = text.substr(0, text.find('\n'));
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return text;
}

std::string base64(std::string_view bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                           static_cast<unsigned char>(bytes[i + 1]) << 8 |
                           static_cast<unsigned char>(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += alphabet[(v >> shift) & 63];
    }
    if (const auto rest = bytes.size() - i; rest > 0) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += rest == 2 ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

const config::Group* group_of(const config::SiteConfig& config, const config::Host& host) {
    const auto it = config.groups.find(host.group);
    return it == config.groups.end() ? nullptr : &it->second;
}

// castline's own variables, then the group's, then the host's (docs/config.md, "postconfig").
std::map<std::string, std::string> variables(const config::SiteConfig& config,
                                             const config::Host& host, Ipv4Address server) {
    const auto* group = group_of(config, host);
    std::string mac_dashed = host.mac.to_string();
    for (auto& c : mac_dashed)
        if (c == ':') c = '-';
    std::map<std::string, std::string> values{
        {"name", host.name},
        {"mac", host.mac.to_string()},
        {"mac_dashed", mac_dashed},
        {"group", host.group},
        {"image", group ? group->image : ""},
        {"address", host.address ? host.address->to_string() : ""},
        {"session", group ? group->session : ""},
        {"server", server.to_string()}};
    if (group)
        for (const auto& [k, v] : group->vars) values[k] = v;
    for (const auto& [k, v] : host.vars) values[k] = v;
    return values;
}

// The image, session and post-config a host's job uses: the rollout's where it names them, else
// the group's. The group's session only sends the group's image, so a rollout that names
// another image without a session of its own restores by unicast.
struct JobSources {
    std::string image, session, postconfig;
};
JobSources job_sources(const config::SiteConfig& config, const config::Host& host,
                       const config::Rollout* rollout) {
    JobSources out;
    if (const auto* group = group_of(config, host))
        out = {group->image, group->session, group->postconfig};
    if (!rollout) return out;
    if (!rollout->image.empty() && rollout->image != out.image) {
        out.image = rollout->image;
        out.session.clear();
    }
    if (!rollout->session.empty()) out.session = rollout->session;
    if (!rollout->postconfig.empty()) out.postconfig = rollout->postconfig;
    return out;
}

}  // namespace

JobImage job_image(const config::SiteConfig& config, const config::Host& host,
                   const config::Rollout* rollout) {
    const auto name = job_sources(config, host, rollout).image;
    if (name.empty()) throw JobError("host " + host.name + " has no group with an image");
    const auto image = config.images.find(name);
    if (image == config.images.end()) throw JobError("image " + name + " is not defined");
    JobImage out{image->first, image->second.path, std::nullopt};
    if (!image->second.password_file.empty())
        out.password = read_password(image->second.password_file, "image password file");
    return out;
}

json rendered_postconfig(const config::SiteConfig& config, const config::Host& host,
                         Ipv4Address server, const config::Rollout* rollout) {
    const auto name = job_sources(config, host, rollout).postconfig;
    if (name.empty()) return nullptr;
    const auto it = config.postconfig.find(name);
    if (it == config.postconfig.end()) return nullptr;
    const auto& pc = it->second;
    const auto values = variables(config, host, server);
    const auto render = [&](const std::string& text) {
        return config::render_template(text, values);
    };
    json spec{{"partition", pc.partition},         {"sysprep_path", pc.sysprep_path},
              {"unattend_path", pc.unattend_path}, {"sysprep", json::array()},
              {"unattend", json::array()},         {"files", json::array()}};
    for (const auto& s : pc.sysprep)
        spec["sysprep"].push_back(
            {{"section", s.section}, {"key", s.key}, {"value", render(s.value)}});
    for (const auto& u : pc.unattend)
        spec["unattend"].push_back({{"path", u.path}, {"value", render(u.value)}});
    for (const auto& f : pc.files) {
        auto content = read_whole(f.source, "post-config file");
        if (f.render) content = render(content);
        spec["files"].push_back({{"target", f.target}, {"content_base64", base64(content)}});
    }
    if (!pc.sysprep_update.empty())
        spec["sysprep_update"] = read_text(pc.sysprep_update, "sysprep update file");
    return spec;
}

namespace {

json disk_rule_json(const std::optional<config::DiskRule>& rule) {
    if (!rule) return {{"rule", "only-fixed"}};
    return {{"rule", "match"},        {"path", rule->path},         {"model", rule->model},
            {"serial", rule->serial}, {"min_size", rule->min_size}, {"max_size", rule->max_size}};
}

const char* power_word(config::PowerAction power) {
    switch (power) {
        case config::PowerAction::poweroff:
            return "poweroff";
        case config::PowerAction::stay:
            return "stay";
        case config::PowerAction::reboot:
            break;
    }
    return "reboot";
}

}  // namespace

json job_document(const config::SiteConfig& config, const config::Host& host,
                  const std::string& token, Ipv4Address server, const config::Rollout* rollout) {
    const auto* group = group_of(config, host);
    const auto image = job_image(config, host, rollout);
    const auto sources = job_sources(config, host, rollout);
    const auto imaging = config::imaging_for(config, host);
    const bool restore_given = host.imaging.restore || (group && group->imaging.restore);
    const auto method = restore_given             ? imaging.restore
                        : sources.session.empty() ? config::RestoreMethod::unicast
                                                  : config::RestoreMethod::session;

    json restore;
    if (method == config::RestoreMethod::session) {
        const auto session = config.sessions.find(sources.session);
        if (session == config.sessions.end())
            throw JobError("no session for host " + host.name + " (" +
                           (sources.session.empty() ? "none given" : sources.session) +
                           "), expected a session on its group or rollout, or restore: unicast");
        restore = {{"method", "session"},
                   {"session", sources.session},
                   {"server", server.to_string()},
                   {"resolver_port", multicast_defaults::resolver_port},
                   {"password", nullptr}};
        if (!session->second.password_file.empty())
            restore["password"] =
                read_password(session->second.password_file, "session password file");
    } else {
        restore = {
            {"method", "unicast"},
            {"url", "http://" + server.to_string() + ":" + std::to_string(config.boot.http_port) +
                        "/api/v1/jobs/" + token + "/image"}};
    }
    json doc{{"token", token},
             {"host", host.name},
             {"mac", host.mac.to_string()},
             {"image", image.name},
             {"image_password", image.password ? json(*image.password) : json(nullptr)},
             {"restore", restore},
             {"disk", disk_rule_json(imaging.disk)},
             {"verify", imaging.verify},
             {"postconfig", rendered_postconfig(config, host, server, rollout)},
             {"power", power_word(imaging.power)}};
    return doc;
}

}  // namespace castline::daemon
