// castline rollout, history, jobs, reimage and session: castlined's operator API from the
// command line.
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/plural.hpp"
#include "config/loader.hpp"
#include "daemon/api_client.hpp"
#include "daemon/cli.hpp"
#include "daemon/cli_site_config.hpp"

namespace castline::cli {
namespace {

using nlohmann::json;

constexpr const char* rollout_usage =
    "usage: castline rollout start|status|cancel NAME [--api HOST:PORT | --config FILE] [--json]\n"
    "       castline rollout list [--api HOST:PORT | --config FILE] [--json]\n";
constexpr const char* jobs_usage =
    "usage: castline jobs [HOST|MAC] [--limit N] [--api HOST:PORT | --config FILE] [--json]\n";
constexpr const char* reimage_usage =
    "usage: castline reimage HOST|MAC... [--api HOST:PORT | --config FILE] [--json]\n";
constexpr const char* session_usage =
    "usage: castline session list [--api HOST:PORT | --config FILE] [--json]\n"
    "       castline session start|pause|resume NAME [--api HOST:PORT | --config FILE]\n"
    "       castline session drop NAME CLIENT_ID [--api HOST:PORT | --config FILE]\n";
constexpr const char* history_usage =
    "usage: castline history [HOST|MAC] [--limit N] [--api HOST:PORT | --config FILE] [--json]\n";

struct Common {
    ApiEndpoint endpoint;
    bool json_output = false;
    std::vector<std::string> words;
    std::optional<std::string> limit;
};

// Parses the options shared by both commands; returns an exit code on error.
std::optional<int> parse_common(std::span<char*> args, Common& out, const char* usage) {
    std::optional<std::string> api, config_path;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        const auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) return std::nullopt;
            return std::string(args[++i]);
        };
        std::optional<std::string>* slot = arg == "--api"      ? &api
                                           : arg == "--config" ? &config_path
                                           : arg == "--limit"  ? &out.limit
                                                               : nullptr;
        if (slot) {
            *slot = value();
            if (!*slot) {
                std::fprintf(stderr, "castline: %s needs a value\n%s", args[i], usage);
                return 2;
            }
        } else if (arg == "--json") {
            out.json_output = true;
        } else if (arg == "--help" || arg == "-h") {
            std::fputs(usage, stdout);
            return 0;
        } else if (arg.starts_with("--")) {
            std::fprintf(stderr, "castline: unknown option %s\n%s", args[i], usage);
            return 2;
        } else {
            out.words.emplace_back(arg);
        }
    }
    if (const auto rc = resolve_api_endpoint(api, config_path, out.endpoint)) return rc;
    return std::nullopt;
}

std::string text_of(const json& value) {
    return value.is_string() ? value.get<std::string>() : "-";
}

void print_run(const json& run) {
    if (!run.contains("hosts")) {
        std::printf("rollout %s: %s\n", text_of(run["rollout"]).c_str(),
                    text_of(run["state"]).c_str());
        return;
    }
    std::printf("rollout %s, run %lld: %s (started %s, finished %s)\n",
                text_of(run["rollout"]).c_str(), run["run"].get<long long>(),
                text_of(run["state"]).c_str(), text_of(run["started_at"]).c_str(),
                text_of(run["finished_at"]).c_str());
    std::string counts;
    for (const auto& [state, count] : run["counts"].items())
        if (count.get<int>() > 0) counts += " " + state + "=" + std::to_string(count.get<int>());
    std::printf("  hosts:%s\n", counts.c_str());
    std::printf("  %-17s  %-16s  %-10s  %-20s  %s\n", "MAC", "NAME", "STATE", "FINISHED", "ERROR");
    for (const auto& host : run["hosts"])
        std::printf("  %-17s  %-16s  %-10s  %-20s  %s\n", text_of(host["mac"]).c_str(),
                    text_of(host["name"]).c_str(), text_of(host["state"]).c_str(),
                    text_of(host["finished_at"]).c_str(), text_of(host["error"]).c_str());
}

// Sends the request and prints the answer (null for a 204 without a body); returns the exit
// code.
int call(const Common& common, const std::string& method, const std::string& target,
         const std::function<void(const json&)>& print) {
    try {
        const auto response = api_request(common.endpoint, method, target);
        json body;
        try {
            if (response.status != 204) body = json::parse(response.body);
        } catch (const json::exception&) {
            std::fprintf(stderr, "castline: castlined answered %d with a body that is not JSON\n",
                         response.status);
            return 1;
        }
        if (response.status >= 300) {
            std::fprintf(stderr, "castline: %s\n", text_of(body.value("error", json())).c_str());
            return 1;
        }
        if (common.json_output)
            std::printf("%s\n", body.dump(2).c_str());
        else
            print(body);
        return 0;
    } catch (const ApiError& e) {
        std::fprintf(stderr, "castline: %s\n", e.what());
        return 1;
    }
}

void print_sessions(const json& body) {
    if (body.empty())
        std::printf(
            "no open sessions (none under sessions: in the config, or none could be opened: see "
            "castlined's log)\n");
    for (const auto& s : body) {
        std::printf(
            "session %s (image %s, %s:%d): %s, %s\n", text_of(s["name"]).c_str(),
            text_of(s["image"]).c_str(), text_of(s["address"]).c_str(), s["data_port"].get<int>(),
            text_of(s["state"]).c_str(),
            count_of(static_cast<long long>(s["clients"].size()), "client", "clients").c_str());
        if (s["clients"].empty()) continue;
        std::printf("  %-4s  %-16s  %-21s  %-14s  %7s  %8s  %6s  %s\n", "ID", "NAME", "PEER",
                    "STATE", "PERCENT", "MBIT/S", "LOSS", "REASON");
        for (const auto& c : s["clients"])
            std::printf("  %-4d  %-16s  %-21s  %-14s  %6.1f%%  %8.1f  %5.2f%%  %s\n",
                        c["id"].get<int>(), text_of(c["name"]).c_str(), text_of(c["peer"]).c_str(),
                        text_of(c["state"]).c_str(), c["percent"].get<double>(),
                        c["rate_mbit"].get<double>(), c["loss_percent"].get<double>(),
                        text_of(c["reason"]).c_str());
    }
}

}  // namespace

int session_command(std::span<char*> args) {
    Common common;
    if (const auto rc = parse_common(args, common, session_usage)) return *rc;
    const auto& w = common.words;
    if (w.size() == 1 && w[0] == "list")
        return call(common, "GET", "/api/v1/sessions", print_sessions);
    std::string target;
    if (w.size() == 2 && (w[0] == "start" || w[0] == "pause" || w[0] == "resume"))
        target = "/api/v1/sessions/" + w[1] + "/" + w[0];
    else if (w.size() == 3 && w[0] == "drop")
        target = "/api/v1/sessions/" + w[1] + "/clients/" + w[2] + "/drop";
    if (target.empty()) {
        std::fputs(session_usage, stderr);
        return 2;
    }
    return call(common, "POST", target, [&](const json&) {
        std::printf("session %s: %s%s\n", w[1].c_str(), w[0].c_str(),
                    w.size() == 3 ? (" client " + w[2]).c_str() : "");
    });
}

int rollout_command(std::span<char*> args) {
    Common common;
    if (const auto rc = parse_common(args, common, rollout_usage)) return *rc;
    if (common.words.size() == 1 && common.words[0] == "list")
        return call(common, "GET", "/api/v1/rollouts", [](const json& body) {
            std::printf("configured: %s\nrunning: %s\n", body["configured"].dump().c_str(),
                        body["running"].dump().c_str());
        });
    if (common.words.size() != 2) {
        std::fputs(rollout_usage, stderr);
        return 2;
    }
    const auto& action = common.words[0];
    const auto& name = common.words[1];
    if (action == "status") return call(common, "GET", "/api/v1/rollouts/" + name, print_run);
    if (action == "start" || action == "cancel")
        return call(common, "POST", "/api/v1/rollouts/" + name + "/" + action, print_run);
    std::fprintf(stderr, "castline rollout: unknown action '%s'\n%s", action.c_str(),
                 rollout_usage);
    return 2;
}

int history_command(std::span<char*> args) {
    Common common;
    if (const auto rc = parse_common(args, common, history_usage)) return *rc;
    if (common.words.size() > 1) {
        std::fputs(history_usage, stderr);
        return 2;
    }
    std::string target = "/api/v1/history?limit=" + common.limit.value_or("100");
    if (!common.words.empty()) target += "&host=" + common.words[0];
    return call(common, "GET", target, [](const json& body) {
        std::printf("%-6s  %-12s  %-17s  %-16s  %-10s  %-20s  %s\n", "RUN", "ROLLOUT", "MAC",
                    "NAME", "STATE", "FINISHED", "ERROR");
        for (const auto& e : body["history"])
            std::printf("%-6lld  %-12s  %-17s  %-16s  %-10s  %-20s  %s\n",
                        e["run"].get<long long>(), text_of(e["rollout"]).c_str(),
                        text_of(e["mac"]).c_str(), text_of(e["name"]).c_str(),
                        text_of(e["state"]).c_str(), text_of(e["finished_at"]).c_str(),
                        text_of(e["error"]).c_str());
    });
}

int jobs_command(std::span<char*> args) {
    Common common;
    if (const auto rc = parse_common(args, common, jobs_usage)) return *rc;
    if (common.words.size() > 1) {
        std::fputs(jobs_usage, stderr);
        return 2;
    }
    std::string target = "/api/v1/jobs?limit=" + common.limit.value_or("200");
    if (!common.words.empty()) target += "&host=" + common.words[0];
    return call(common, "GET", target, [](const json& body) {
        std::printf("%-16s  %-8s  %-10s  %6s  %9s  %9s  %9s  %s\n", "HOST", "STATE", "STAGE",
                    "PERCENT", "MIB DONE", "MIB/S", "REMAINING", "ERROR");
        for (const auto& j : body) {
            const auto mib = [](const json& v) { return v.get<double>() / (1024.0 * 1024.0); };
            const auto remaining = j["remaining_s"].get<long long>();
            std::printf("%-16s  %-8s  %-10s  %6.1f%%  %9.1f  %9.1f  %9s  %s\n",
                        text_of(j["host"]).c_str(), text_of(j["state"]).c_str(),
                        text_of(j["stage"]).c_str(), j["percent"].get<double>(),
                        mib(j["done_bytes"]), mib(j["rate_bytes_per_s"]),
                        remaining < 0 ? "-" : (std::to_string(remaining) + " s").c_str(),
                        text_of(j["error"]).c_str());
        }
    });
}

int reimage_command(std::span<char*> args) {
    Common common;
    if (const auto rc = parse_common(args, common, reimage_usage)) return *rc;
    if (common.words.empty()) {
        std::fputs(reimage_usage, stderr);
        return 2;
    }
    int rc = 0;
    for (const auto& host : common.words)
        rc |= call(common, "POST", "/api/v1/hosts/" + host + "/reimage", [](const json& body) {
            std::printf("%s: reimaged on its next PXE boot (job %s)\n",
                        text_of(body["host"]).c_str(), text_of(body["token"]).substr(0, 8).c_str());
        });
    return rc;
}

}  // namespace castline::cli
