// sessions: multicast sessions that send an image to a group of receivers at once.
#include "config/section_parsers.hpp"

namespace castline::config::detail {
namespace {
void parse_session(Reader& reader, MapView& map, Session& s) {
    using std::chrono::seconds;
    if (const auto* v = map.require("image", "the image it sends"))
        if (auto ref = reader.name(*v, map.path("image"), "image")) s.image = *ref;
    if (const auto* v = map.get("password_file"))
        if (auto p = reader.file_path(*v, map.path("password_file"))) s.password_file = *p;
    if (const auto* v = map.get("address")) {
        if (auto a = reader.ipv4(*v, map.path("address"))) {
            // 224.0.0.0/24 is link-local control traffic (IGMP, OSPF, mDNS); never data.
            const bool multicast = (a->value >> 28) == 0xE;
            const bool control = (a->value >> 8) == 0xE00000;
            if (!multicast || control)
                reader.error(*v, map.path("address"),
                             a->to_string() +
                                 (control ? " is reserved for local control traffic"
                                          : " is not a multicast address") +
                                 ", expected one in 224.0.1.0-239.255.255.255, best 239.x.x.x");
            else
                s.address = *a;
        }
    }
    if (const auto* v = map.get("port"))
        if (auto p = reader.port(*v, map.path("port"))) s.port = *p;
    if (const auto* v = map.get("control_port"))
        if (auto p = reader.port(*v, map.path("control_port"))) s.control_port = *p;
    if (s.port != 0 && s.port == s.control_port)
        reader.error(map.fields_location("control_port"), map.path("control_port"),
                     std::to_string(s.port) + " is also the data port, expected another port");
    if (const auto* v = map.get("interface"))
        if (auto text = reader.text(*v, map.path("interface"), "a served interface"))
            s.interface = *text;
    // Payload per datagram: at least a minimal IPv4 MTU's worth, at most a jumbo frame's.
    if (const auto* v = map.get("packet_size"))
        if (auto n = reader.size(*v, map.path("packet_size"), 512, 8972))
            s.packet_size = static_cast<std::uint32_t>(*n);
    if (const auto* v = map.get("rate_mbit"))
        if (auto n = reader.number(*v, map.path("rate_mbit"), 0, 100000)) s.rate_mbit = *n;
    if (const auto* v = map.get("ttl"))
        if (auto n = reader.integer(*v, map.path("ttl"), 1, 255)) s.ttl = static_cast<int>(*n);
    auto count = [&](std::string_view key, int& field) {
        if (const auto* v = map.get(key))
            if (auto n = reader.integer(*v, map.path(key), 0, 10000)) field = static_cast<int>(*n);
    };
    count("clients", s.clients);
    count("min_clients", s.min_clients);
    count("max_clients", s.max_clients);
    if (const auto* v = map.get("max_wait"))
        if (auto d = reader.duration(*v, map.path("max_wait"), seconds(0), seconds(7 * 86400)))
            s.max_wait = *d;
    if (const auto* v = map.get("constantcast"))
        if (auto b = reader.boolean(*v, map.path("constantcast"))) s.constantcast = *b;
    if (const auto* v = map.get("time_limit"))
        if (auto d = reader.duration(*v, map.path("time_limit"), seconds(0), seconds(7 * 86400)))
            s.time_limit = *d;
    if (const auto* v = map.get("late_policy"))
        if (auto p = reader.choice<LatePolicy>(*v, map.path("late_policy"),
                                               {{"wait", LatePolicy::wait},
                                                {"unicast", LatePolicy::unicast},
                                                {"drop", LatePolicy::drop}}))
            s.late_policy = *p;

    // The auto-start rule: N clients, or at least min_clients once max_wait has passed.
    if (s.max_clients > 0 && s.clients > s.max_clients)
        reader.error(map.fields_location("clients"), map.path("clients"),
                     std::to_string(s.clients) + " is more than max_clients " +
                         std::to_string(s.max_clients) + ", expected at most that many");
    if (s.max_clients > 0 && s.min_clients > s.max_clients)
        reader.error(map.fields_location("min_clients"), map.path("min_clients"),
                     std::to_string(s.min_clients) + " is more than max_clients " +
                         std::to_string(s.max_clients) + ", expected at most that many");
    if (s.min_clients > 0 && s.max_wait.count() == 0)
        reader.error(map.fields_location("min_clients"), map.path("max_wait"),
                     "min_clients is set without max_wait, expected how long to wait for more "
                     "clients before starting with min_clients, e.g. max_wait: 10m");
    if (s.max_wait.count() > 0 && s.min_clients == 0)
        reader.error(map.fields_location("max_wait"), map.path("min_clients"),
                     "max_wait is set without min_clients, expected the fewest clients to start "
                     "with after max_wait, e.g. min_clients: 1");
}
}  // namespace

void parse_sessions(Reader& reader, const YAML::Node& node, std::vector<Session>& out) {
    for_each_named(
        reader, node, "sessions", "session",
        [&](const std::string& name, const YAML::Node&, const YAML::Node& value) {
            const std::string path = "sessions." + name;
            MapView map(reader, value, path,
                        {"image", "password_file", "address", "port", "control_port", "interface",
                         "packet_size", "rate_mbit", "ttl", "clients", "min_clients", "max_wait",
                         "max_clients", "constantcast", "time_limit", "late_policy"});
            if (!map.is_map()) return;
            Session session;
            session.name = name;
            session.location = map.location();
            session.key_path = path;
            map.record(session.fields);
            parse_session(reader, map, session);
            out.push_back(std::move(session));
        });
}

}  // namespace castline::config::detail
