// Any bytes as one HTTP request to castlined, parsed as HttpServer parses it (Boost.Beast, the
// same body limit) and routed through the routers castlined builds: the boot server's (boot
// files, host scripts, the imager's job endpoints) or the API server's (jobs, reimage, rollouts,
// sessions). Every request gets a response, never a crash.
//
// Input: a control byte (bit 0: the API router, else the boot router), then the request. The
// text TOKEN in the target and the body becomes the token of ws01's pending job, so the job
// endpoints are reached past the token check.
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/log.hpp"
#include "config/loader.hpp"
#include "daemon/api_rollouts.hpp"
#include "daemon/api_sessions.hpp"
#include "daemon/host_scripts.hpp"
#include "daemon/http_boot_files.hpp"
#include "daemon/http_server.hpp"
#include "daemon/job_service.hpp"
#include "daemon/session_service.hpp"

namespace {
using namespace castline;
using namespace castline::daemon;

std::filesystem::path make_site() {
    std::string pattern = std::filesystem::temp_directory_path() / "castline-fuzz-http.XXXXXX";
    if (!::mkdtemp(pattern.data())) std::abort();
    const std::filesystem::path dir = pattern;
    std::filesystem::create_directories(dir / "boot" / "efi");
    std::ofstream(dir / "boot" / "efi" / "boot.efi") << "0123456789";
    std::ofstream(dir / "boot" / "undionly.kpxe") << "pxe";
    std::ofstream(dir / "image.pw") << "image secret\n";
    std::ofstream(dir / "base.cimg") << "not an image: its jobs fail validation";
    std::ofstream(dir / "site.yaml")
        << "version: 1\n"
           "server: {interfaces: [lo], data_dir: ./state, log_level: error}\n"
           "dhcp: {mode: proxy}\n"
           "boot: {root: ./boot, tftp_port: 69, http_port: 8080}\n"
           "hosts:\n"
           "  - {mac: \"52:54:00:00:00:01\", name: ws01, group: lab}\n"
           "  - {mac: \"52:54:00:00:00:02\", name: ws02, group: lab}\n"
           "groups:\n"
           "  lab: {image: base, action: image}\n"
           "images: {base: {path: ./base.cimg, password_file: ./image.pw}}\n"
           "rollouts:\n"
           "  night: {groups: [lab]}\n";
    return dir;
}

constexpr Ipv4Address host_address_seen{0x7f000001};

struct Castlined {
    std::filesystem::path dir = make_site();
    config::SiteConfig config = [this] {
        auto result = config::load_file(dir / "site.yaml");
        if (!result.config) std::abort();
        return *result.config;
    }();
    boost::asio::io_context io;
    StateStore store{dir / "state"};
    RolloutManager rollouts{
        io, store, [](const MacAddress&) {},
        [] { return TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}}; }};
    std::function<const config::SiteConfig&()> current = [this]() -> const config::SiteConfig& {
        return config;
    };
    // Every MAC is at 127.0.0.1 as DHCP would show it: a request from there is the host's own,
    // one from 127.0.0.2 a stranger's (the first input byte picks which).
    JobService jobs{store.database(), rollouts, current,
                    [](const MacAddress&) { return std::optional{host_address_seen}; }};
    SessionService sessions{io};
    std::shared_ptr<tftp::VirtualFiles> files = std::make_shared<tftp::VirtualFiles>();
    HttpRouter boot;
    HttpRouter api;

    Castlined() {
        log::set_level(log::Level::error);
        rollouts.apply(config);
        sessions.apply(config);
        register_host_scripts(*files, current,
                              [this](const config::Host& host, Ipv4Address requester) {
                                  return jobs.for_boot(host, requester);
                              });
        boot.add(http::verb::get, "/",
                 boot_files_handler(std::make_shared<tftp::BootRoot>(config.boot.root), files));
        jobs.register_boot_routes(boot);
        jobs.register_api_routes(api);
        register_rollout_api(api, rollouts, store);
        register_session_api(api, sessions, current);
    }
    ~Castlined() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
};

void replace_token(std::string& text, const std::string& token) {
    for (auto at = text.find("TOKEN"); at != std::string::npos; at = text.find("TOKEN", at))
        text.replace(at, 5, token), at += token.size();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Castlined castlined;
    if (size < 1) return 0;
    http::request_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(HttpServerSettings{}.max_body);
    boost::beast::error_code error;
    parser.put(boost::asio::buffer(data + 1, size - 1), error);
    if (error || !parser.is_done()) return 0;  // HttpServer answers 400 or waits for more
    HttpRequest request = parser.release();

    const auto job = castlined.jobs.for_boot(castlined.config.hosts[0], host_address_seen);
    const std::string token = job && !job->token.empty() ? job->token : "none";
    std::string target(request.target());
    replace_token(target, token);
    request.target(target);
    replace_token(request.body(), token);

    const HttpClient client{data[0] & 2 ? Ipv4Address{0x7f000002} : host_address_seen, 40000};
    const auto response = (data[0] & 1 ? castlined.api : castlined.boot).route(request, client);
    if (const auto* text = std::get_if<HttpStringResponse>(&response)) {
        const auto status = text->result_int();
        if (status < 200 || status > 599) __builtin_trap();
    } else {
        const auto& file = std::get<HttpFileResponse>(response);
        if ((file.header.result_int() != 200 && file.header.result_int() != 206) ||
            file.offset > file.file.size() || file.length > file.file.size() - file.offset)
            __builtin_trap();
    }
    return 0;
}
