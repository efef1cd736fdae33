#include "daemon/job_document.hpp"

#include <fstream>
#include <iterator>
#include <map>

#include "config/template_variables.hpp"

namespace castline::daemon {
namespace {

using nlohmann::json;

std::string read_whole(const std::filesystem::path& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw JobError("cannot read " + what + " " + path.string());
    return {std::istreambuf_iterator<char>(in), {}};
}

// The first line, as password files hold it.
std::string read_password(const std::filesystem::path& path, const std::string& what) {
    auto text = read_whole(path, what);
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

}  // namespace

json rendered_postconfig(const config::SiteConfig& config, const config::Host& host,
                         Ipv4Address server) {
    const auto* group = group_of(config, host);
    if (!group || group->postconfig.empty()) return nullptr;
    const auto it = config.postconfig.find(group->postconfig);
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
        spec["sysprep_update"] = read_whole(pc.sysprep_update, "sysprep update file");
    return spec;
}

json job_document(const config::SiteConfig& config, const config::Host& host,
                  const std::string& token, Ipv4Address server) {
    const auto* group = group_of(config, host);
    if (!group || group->image.empty())
        throw JobError("host " + host.name + " has no group with an image");
    const auto image = config.images.find(group->image);
    if (image == config.images.end()) throw JobError("image " + group->image + " is not defined");
    if (group->session.empty())
        throw JobError("group " + host.group +
                       " names no session; restore by multicast session is the only method so "
                       "far (unicast is not built yet)");
    const auto session = config.sessions.find(group->session);
    if (session == config.sessions.end())
        throw JobError("session " + group->session + " is not defined");

    json doc{{"token", token},
             {"host", host.name},
             {"mac", host.mac.to_string()},
             {"image", group->image},
             {"image_password", nullptr},
             {"restore",
              {{"method", "session"},
               {"session", group->session},
               {"server", server.to_string()},
               {"resolver_port", 31527},
               {"password", nullptr}}},
             {"disk", {{"rule", "only-fixed"}}},
             {"verify", true},
             {"postconfig", rendered_postconfig(config, host, server)},
             {"power", "reboot"}};
    if (!image->second.password_file.empty())
        doc["image_password"] = read_password(image->second.password_file, "image password file");
    if (!session->second.password_file.empty())
        doc["restore"]["password"] =
            read_password(session->second.password_file, "session password file");
    return doc;
}

}  // namespace castline::daemon
