#include "daemon/host_scripts.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "config/loader.hpp"
#include "pxe/ipxe_script.hpp"

namespace castline::daemon {

std::optional<MacAddress> mac_of_script_path(const std::string& path) {
    constexpr std::string_view prefix = "ipxe/", suffix = ".ipxe";
    if (!path.starts_with(prefix) || !path.ends_with(suffix)) return std::nullopt;
    const std::string_view middle =
        std::string_view(path).substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    return MacAddress::parse(middle);
}

std::optional<Ipv4Address> server_address_for(const config::SiteConfig& config,
                                              Ipv4Address client) {
    std::optional<Ipv4Address> first;
    for (const auto& info : config::list_interfaces()) {
        if (std::find(config.server.interfaces.begin(), config.server.interfaces.end(),
                      info.name) == config.server.interfaces.end())
            continue;
        for (const auto& network : info.ipv4) {
            if (network.contains(client)) return network.address;
            if (!first) first = network.address;
        }
    }
    return first;
}

void register_host_scripts(tftp::VirtualFiles& files,
                           std::function<const config::SiteConfig&()> current, BootJobFor jobs) {
    files.add("ipxe/",
              [current = std::move(current), jobs = std::move(jobs)](
                  const tftp::VirtualFileRequest& request) -> std::optional<std::string> {
                  const auto mac = mac_of_script_path(request.path);
                  if (!mac) return std::nullopt;
                  const auto& config = current();
                  const auto server = server_address_for(config, request.client);
                  if (!server) return std::nullopt;
                  pxe::ScriptContext context{*server, config.boot.http_port, {}};
                  const auto* host = config.find_host(*mac);
                  if (host && jobs)
                      if (const auto job = jobs(*host, request.client)) {
                          context.job_token = job->token;
                          context.job_done = job->done;
                      }
                  const auto script = pxe::render_host_script(config, *mac, context);
                  const auto kind = pxe::script_kind(config, *mac, context);
                  log::info("host_script",
                            {{"mac", mac->to_string()},
                             {"client", request.client.to_string()},
                             {"action", kind == pxe::ScriptKind::image   ? "image"
                                        : kind == pxe::ScriptKind::local ? "local"
                                                                         : "ignore"}});
                  return script;
              });
}

}  // namespace castline::daemon
