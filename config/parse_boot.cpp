// boot: the served tree, TFTP and HTTP ports and settings, loaders and unknown hosts.
#include "config/section_parsers.hpp"

namespace castline::config::detail {
namespace {
// A file name inside boot.root: relative and never climbing out of it.
std::optional<std::string> served_file(Reader& reader, const YAML::Node& node,
                                       const std::string& path) {
    const auto text = reader.text(node, path, "a file inside boot.root");
    if (!text) return std::nullopt;
    const std::filesystem::path value(*text);
    bool climbs = false;
    for (const auto& part : value)
        if (part == "..") climbs = true;
    if (text->empty() || value.is_absolute() || climbs) {
        reader.error(node, path,
                     quote(*text) +
                         " is not a file inside boot.root, expected a relative path "
                         "without \"..\" like ipxe/undionly.kpxe");
        return std::nullopt;
    }
    return text;
}
}  // namespace

LoaderSet parse_loaders(Reader& reader, const YAML::Node& node, const std::string& path,
                        const LoaderSet& defaults) {
    LoaderSet out = defaults;
    MapView map(reader, node, path, {"bios", "efi_x64", "efi_x64_http", "efi_arm64"});
    if (const auto* v = map.get("bios"))
        if (auto file = served_file(reader, *v, map.path("bios"))) out.bios = *file;
    if (const auto* v = map.get("efi_x64"))
        if (auto file = served_file(reader, *v, map.path("efi_x64"))) out.efi_x64 = *file;
    if (const auto* v = map.get("efi_arm64"))
        if (auto file = served_file(reader, *v, map.path("efi_arm64"))) out.efi_arm64 = *file;
    if (const auto* v = map.get("efi_x64_http")) {
        // HTTP boot clients take a URL; a plain file name is served by castlined's HTTP server.
        if (const auto text = reader.text(*v, map.path("efi_x64_http"), "a URL or a file")) {
            if (text->starts_with("http://") || text->starts_with("https://")) {
                if (text->size() > 8 + (text->starts_with("https") ? 1 : 0))
                    out.efi_x64_http = *text;
                else
                    reader.error(*v, map.path("efi_x64_http"),
                                 quote(*text) +
                                     " has no host, expected a URL like "
                                     "http://198.18.0.1:8080/ipxe.efi");
            } else if (auto file = served_file(reader, *v, map.path("efi_x64_http"))) {
                out.efi_x64_http = *file;
            }
        }
    }
    return out;
}

void parse_boot(Reader& reader, const YAML::Node& node, BootConfig& out) {
    MapView map(reader, node, "boot",
                {"root", "tftp_port", "http_port", "tftp", "http", "loaders", "unknown_hosts",
                 "unknown_hosts_group", "kernel", "initramfs", "kernel_args"});
    map.record(out.fields);
    if (const auto* v = map.get("root"))
        if (auto value = reader.file_path(*v, map.path("root"))) out.root = *value;
    if (const auto* v = map.get("tftp_port"))
        if (auto value = reader.port(*v, map.path("tftp_port"))) out.tftp_port = *value;
    if (const auto* v = map.get("http_port"))
        if (auto value = reader.port(*v, map.path("http_port"))) out.http_port = *value;
    if (const auto* v = map.get("tftp")) {
        MapView tftp(reader, *v, map.path("tftp"),
                     {"max_blksize", "max_windowsize", "timeout", "retries"});
        // RFC 2348 allows 8..65464; RFC 7440 windows of 1..65535, more than 64 buys nothing.
        if (const auto* x = tftp.get("max_blksize"))
            if (auto value = reader.integer(*x, tftp.path("max_blksize"), 8, 65464))
                out.tftp.max_blksize = static_cast<std::uint16_t>(*value);
        if (const auto* x = tftp.get("max_windowsize"))
            if (auto value = reader.integer(*x, tftp.path("max_windowsize"), 1, 64))
                out.tftp.max_windowsize = static_cast<std::uint16_t>(*value);
        if (const auto* x = tftp.get("timeout"))
            if (auto value =
                    reader.duration_ms(*x, tftp.path("timeout"), std::chrono::milliseconds(100),
                                       std::chrono::milliseconds(60000)))
                out.tftp.timeout = *value;
        if (const auto* x = tftp.get("retries"))
            if (auto value = reader.integer(*x, tftp.path("retries"), 1, 20))
                out.tftp.retries = static_cast<int>(*value);
    }
    if (const auto* v = map.get("http")) {
        MapView http(reader, *v, map.path("http"),
                     {"idle_timeout", "send_timeout", "max_connections_per_client"});
        for (auto [key, field] : {std::pair{"idle_timeout", &out.http.idle_timeout},
                                  std::pair{"send_timeout", &out.http.send_timeout}})
            if (const auto* x = http.get(key))
                if (auto value = reader.duration(*x, http.path(key), std::chrono::seconds(1),
                                                 std::chrono::seconds(600)))
                    *field = *value;
        if (const auto* x = http.get("max_connections_per_client"))
            if (auto value = reader.integer(*x, http.path("max_connections_per_client"), 1, 1024))
                out.http.max_connections_per_client = static_cast<std::size_t>(*value);
    }
    if (const auto* v = map.get("loaders"))
        out.loaders = parse_loaders(reader, *v, map.path("loaders"), out.loaders);
    if (const auto* v = map.get("unknown_hosts"))
        if (auto value = reader.choice<UnknownHostPolicy>(*v, map.path("unknown_hosts"),
                                                          {{"ignore", UnknownHostPolicy::ignore},
                                                           {"local", UnknownHostPolicy::local},
                                                           {"group", UnknownHostPolicy::group}}))
            out.unknown_hosts = *value;
    if (const auto* v = map.get("unknown_hosts_group"))
        if (auto value = reader.name(*v, map.path("unknown_hosts_group"), "group"))
            out.unknown_hosts_group = *value;
    const bool wants_group = out.unknown_hosts == UnknownHostPolicy::group;
    if (wants_group && !map.get("unknown_hosts_group"))
        reader.error(map.location(), map.path("unknown_hosts_group"),
                     "missing, expected the group that unknown hosts join when unknown_hosts is "
                     "group");
    if (!wants_group && map.get("unknown_hosts_group"))
        reader.error(*map.get("unknown_hosts_group"), map.path("unknown_hosts_group"),
                     "is set but unknown_hosts is not group, expected unknown_hosts: group or no "
                     "unknown_hosts_group");
    if (const auto* v = map.get("kernel"))
        if (auto file = served_file(reader, *v, map.path("kernel"))) out.kernel = *file;
    if (const auto* v = map.get("initramfs"))
        if (auto file = served_file(reader, *v, map.path("initramfs"))) out.initramfs = *file;
    if (const auto* v = map.get("kernel_args"))
        if (auto text = reader.text(*v, map.path("kernel_args"))) out.kernel_args = *text;
}

}  // namespace castline::config::detail
