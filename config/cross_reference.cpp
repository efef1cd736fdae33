#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "config/template_variables.hpp"
#include "config/validators.hpp"

namespace castline::config::detail {

void add_error(Diagnostics& out, SourceLocation where, std::string key_path, std::string message) {
    out.errors.push_back({std::move(where), std::move(key_path), std::move(message)});
}
void add_warning(Diagnostics& out, SourceLocation where, std::string key_path,
                 std::string message) {
    out.warnings.push_back(
        {std::move(where), std::move(key_path), std::move(message), Diagnostic::Severity::warning});
}

namespace {
template <typename Map>
bool expect_defined(Diagnostics& out, const Map& defined, const std::string& name,
                    std::string_view what, std::string_view section, const SourceLocation& where,
                    const std::string& path) {
    if (name.empty() || defined.count(name)) return true;
    std::vector<std::string> names;
    for (const auto& entry : defined) names.push_back(entry.first);
    std::string expected;
    if (names.empty()) {
        expected = "no " + std::string(section) + " are defined";
    } else {
        expected = "expected one of";
        for (std::size_t i = 0; i < names.size() && i < 10; ++i)
            expected += (i == 0 ? " " : ", ") + names[i];
        if (names.size() > 10) expected += ", ...";
    }
    add_error(out, where, path,
              std::string(what) + " " + quote(name) + " is not defined under " +
                  std::string(section) + suggestion_suffix(did_you_mean(name, names)) + ", " +
                  expected);
    return false;
}

void check_interfaces(const SiteConfig& c, Diagnostics& out) {
    auto served = [&](const std::string& name) {
        return std::find(c.server.interfaces.begin(), c.server.interfaces.end(), name) !=
               c.server.interfaces.end();
    };
    auto listed = [&] {
        std::string names;
        for (const auto& i : c.server.interfaces) names += (names.empty() ? "" : ", ") + i;
        return names.empty() ? std::string("none are listed") : "expected one of " + names;
    };
    for (const auto& pool : c.dhcp.pools)
        if (!served(pool.interface))
            add_error(
                out, pool.fields.find("interface", pool.location), pool.key_path + ".interface",
                "interface " + quote(pool.interface) + " is not in server.interfaces, " + listed());
    for (const auto& [name, session] : c.sessions)
        if (!session.interface.empty() && !served(session.interface))
            add_error(out, session.fields.find("interface", session.location),
                      session.key_path + ".interface",
                      "interface " + quote(session.interface) + " is not in server.interfaces, " +
                          listed());
    if (c.server.interfaces.empty() && c.dhcp.mode != DhcpMode::off)
        add_error(out, c.server.location, "server.interfaces",
                  "no interface is served, expected at least one like interfaces: [lab0] "
                  "(or dhcp.mode: off)");
}

// The ${variables} each post-config uses that castline does not fill in itself.
std::map<std::string, std::set<std::string>> custom_variables(const SiteConfig& c) {
    std::map<std::string, std::set<std::string>> used;
    for (const auto& [name, pc] : c.postconfig) {
        auto& names = used[name];
        auto add = [&](const std::string& text) {
            for (auto& v : scan_template(text).names)
                if (!is_builtin_variable(v)) names.insert(v);
        };
        for (const auto& s : pc.sysprep) add(s.value);
        for (const auto& u : pc.unattend) add(u.value);
    }
    return used;
}

void check_hosts(const SiteConfig& c, Diagnostics& out) {
    const auto variables = custom_variables(c);
    for (const auto& host : c.hosts) {
        const Group* group = nullptr;
        if (!host.group.empty()) {
            if (!expect_defined(out, c.groups, host.group, "group", "groups",
                                host.fields.find("group", host.location), host.key_path + ".group"))
                continue;
            group = &c.groups.at(host.group);
        }
        const HostAction action = host.action ? *host.action
                                  : group     ? group->action
                                              : HostAction::local;
        if (action == HostAction::image && (!group || group->image.empty()))
            add_error(out, host.fields.find("action", host.location), host.key_path + ".action",
                      "the host is to be imaged but " +
                          (group ? "its group " + quote(group->name) + " names no image"
                                 : std::string("it has no group")) +
                          ", expected a group with an image or action: local");
        if (host.imaging.restore == RestoreMethod::session && group && group->session.empty())
            add_error(out, host.fields.find("restore", host.location), host.key_path + ".restore",
                      "restore is session but group " + quote(group->name) +
                          " names no session, expected a session on the group or restore: "
                          "unicast");
        if (!group || group->postconfig.empty()) continue;
        const auto used = variables.find(group->postconfig);
        if (used == variables.end()) continue;
        for (const auto& name : used->second) {
            if (host.vars.count(name) || group->vars.count(name)) continue;
            add_error(out, host.fields.find("vars", host.location), host.key_path + ".vars",
                      "postconfig " + quote(group->postconfig) + " uses ${" + name +
                          "}, which neither this host nor group " + quote(group->name) +
                          " sets, expected vars: {" + name + ": ...}");
        }
    }
}

void check_groups(const SiteConfig& c, Diagnostics& out) {
    for (const auto& [name, g] : c.groups) {
        expect_defined(out, c.images, g.image, "image", "images",
                       g.fields.find("image", g.location), g.key_path + ".image");
        expect_defined(out, c.postconfig, g.postconfig, "postconfig", "postconfig",
                       g.fields.find("postconfig", g.location), g.key_path + ".postconfig");
        const bool session_known =
            expect_defined(out, c.sessions, g.session, "session", "sessions",
                           g.fields.find("session", g.location), g.key_path + ".session");
        if (g.imaging.restore == RestoreMethod::session && g.session.empty())
            add_error(out, g.fields.find("restore", g.location), g.key_path + ".restore",
                      "restore is session but the group names no session, expected session: "
                      "NAME or restore: unicast");
        if (g.action == HostAction::image && g.image.empty())
            add_error(out, g.fields.find("action", g.location), g.key_path + ".image",
                      "action is image but the group names no image, expected image: NAME");
        if (session_known && !g.session.empty() && !g.image.empty()) {
            const auto& session = c.sessions.at(g.session);
            if (session.image != g.image)
                add_error(out, g.fields.find("session", g.location), g.key_path + ".session",
                          "session " + quote(g.session) + " sends image " + quote(session.image) +
                              " but the group's image is " + quote(g.image) +
                              ", expected a session that sends " + quote(g.image));
        }
    }
}

void check_rollouts(const SiteConfig& c, Diagnostics& out) {
    std::unordered_set<std::string> host_names;
    for (const auto& h : c.hosts) host_names.insert(h.name);
    for (const auto& [name, r] : c.rollouts) {
        for (std::size_t i = 0; i < r.hosts.size(); ++i) {
            if (host_names.count(r.hosts[i])) continue;
            const std::string key = "hosts[" + std::to_string(i) + "]";
            add_error(out, r.fields.find(key, r.location), r.key_path + "." + key,
                      "host " + quote(r.hosts[i]) +
                          " is not defined under hosts, expected the name of a host");
        }
        for (std::size_t i = 0; i < r.groups.size(); ++i) {
            const std::string key = "groups[" + std::to_string(i) + "]";
            expect_defined(out, c.groups, r.groups[i], "group", "groups",
                           r.fields.find(key, r.location), r.key_path + "." + key);
        }
        expect_defined(out, c.images, r.image, "image", "images",
                       r.fields.find("image", r.location), r.key_path + ".image");
        expect_defined(out, c.sessions, r.session, "session", "sessions",
                       r.fields.find("session", r.location), r.key_path + ".session");
        expect_defined(out, c.postconfig, r.postconfig, "postconfig", "postconfig",
                       r.fields.find("postconfig", r.location), r.key_path + ".postconfig");
    }
}
}  // namespace

void check_references(const SiteConfig& c, Diagnostics& out) {
    check_interfaces(c, out);
    check_hosts(c, out);
    check_groups(c, out);
    for (const auto& [name, s] : c.sessions)
        expect_defined(out, c.images, s.image, "image", "images",
                       s.fields.find("image", s.location), s.key_path + ".image");
    check_rollouts(c, out);
    for (const auto& [name, s] : c.schedules)
        expect_defined(out, c.rollouts, s.rollout, "rollout", "rollouts",
                       s.fields.find("rollout", s.location), s.key_path + ".rollout");
    if (c.boot.unknown_hosts == UnknownHostPolicy::group && !c.boot.unknown_hosts_group.empty())
        expect_defined(out, c.groups, c.boot.unknown_hosts_group, "group", "groups",
                       c.boot.fields.find("unknown_hosts_group", {}), "boot.unknown_hosts_group");
}

}  // namespace castline::config::detail

namespace castline::config::detail {

std::map<std::string, std::string> images_to_image_from(const SiteConfig& c) {
    std::map<std::string, std::string> users;
    auto add = [&](const std::string& image, const std::string& who) {
        if (!image.empty()) users.emplace(image, who);
    };
    for (const auto& [name, g] : c.groups)
        if (g.action == HostAction::image)
            add(g.image, "group " + quote(name) + " (action: image)");
    for (const auto& host : c.hosts) {
        const auto group = c.groups.find(host.group);
        if (host.action == HostAction::image && group != c.groups.end())
            add(group->second.image, "host " + quote(host.name) + " (action: image)");
    }
    for (const auto& [name, r] : c.rollouts) {
        add(r.image, "rollout " + quote(name));
        for (const auto& group_name : r.groups)
            if (const auto group = c.groups.find(group_name); group != c.groups.end())
                add(group->second.image,
                    "rollout " + quote(name) + " (group " + quote(group_name) + ")");
    }
    return users;
}

}  // namespace castline::config::detail
