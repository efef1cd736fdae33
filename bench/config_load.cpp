// Loads generated site configs of 1,000 to 50,000 hosts and prints how long parsing alone
// (yaml-cpp, the floor any loader pays) and castline's load + validate take.
// Usage: config_load [ROUNDS]   (best of ROUNDS runs per size, default 5)
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "config/loader.hpp"

namespace {
std::string generate(int hosts) {
    std::string text =
        "version: 1\n"
        "server: {interfaces: [lab0]}\n"
        "boot: {root: .}\n"
        "dhcp:\n  mode: full\n  pools:\n"
        "    - {interface: lab0, range: [198.18.0.10, 198.18.255.250], lease_time: 1h}\n"
        "images: {base: {path: base.cimg}}\n"
        "sessions: {night: {image: base, address: 239.198.10.10, port: 9000}}\n"
        "postconfig:\n  win:\n    sysprep: {UserData: {ComputerName: \"${name}\", OrgName: "
        "\"${Org}\"}}\n"
        "groups:\n";
    for (int g = 0; g < 20; ++g)
        text += "  g" + std::to_string(g) +
                ": {image: base, action: image, session: night, postconfig: win, vars: {Org: X}}\n";
    text += "hosts:\n";
    char line[200];
    for (int i = 0; i < hosts; ++i) {
        std::snprintf(line, sizeof line,
                      "  - mac: \"52:54:%02x:%02x:%02x:%02x\"\n    name: ws%05d\n    group: g%d\n"
                      "    vars: {Seat: \"%d\"}\n",
                      (i >> 24) & 0xff, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, i, i % 20, i);
        text += line;
    }
    return text;
}

template <typename F>
double best_ms(int rounds, F run) {
    double best = 1e300;
    for (int r = 0; r < rounds; ++r) {
        const auto start = std::chrono::steady_clock::now();
        run();
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
    }
    return best;
}
}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("castline-bench-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::printf("%8s  %14s  %20s  %16s  %s\n", "hosts", "yaml-cpp ms", "load+validate ms",
                "ms/1000 hosts", "result");
    int status = 0;
    for (int hosts : {1000, 10000, 50000}) {
        const auto file = dir / ("site-" + std::to_string(hosts) + ".yaml");
        std::ofstream(file) << generate(hosts);
        const double parse = best_ms(rounds, [&] { (void)YAML::LoadFile(file.string()); });
        bool ok = true;
        const double load = best_ms(rounds, [&] {
            const auto result = castline::config::load_file(file);
            ok = result.ok() && result.config->hosts.size() == static_cast<std::size_t>(hosts);
        });
        std::printf("%8d  %14.1f  %20.1f  %16.2f  %s\n", hosts, parse, load, load / hosts * 1000,
                    ok ? "valid" : "INVALID");
        if (!ok) status = 1;
    }
    std::filesystem::remove_all(dir);
    return status;
}
