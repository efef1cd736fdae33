#pragma once
// The castline-imager command line, parsed into a typed command without touching any file, so
// every usage error is found (and tested) before work starts.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace castline::imager {

struct CommandLine {
    enum class Command { capture, restore, validate, info, postconfig, job, receive, help };
    Command command = Command::help;
    std::string source, output, image, target, password_file, description;
    std::string session;                // restore/validate/receive: castline://SERVER/NAME
    std::string session_password_file;  // restore/validate: the session's join password
    std::string url;                    // restore/validate: http://SERVER:PORT/PATH
    std::string spec;                   // postconfig: the JSON spec file
    std::string server, token;          // job: castlined's boot HTTP server and the job token
    std::string sysfs = "/sys/block";   // job: where the disks are listed
    std::string power_file = "/run/castline/power_action";
    bool allow_loop = false;  // job: loop devices count as disks (tests)
    std::string mac;          // postconfig: the machine's MAC, as given (checked when parsed)
    int level = 3;
    bool raw = false;
    bool fallback_to_whole = false;
    std::uint64_t split_size = 0;
    bool verify = false;
    bool prevalidate = true;
    bool json = false;
    bool force = false;  // capture: overwrite an existing --output
    std::optional<std::uint32_t> kdf_iterations;
    int threads = 2;
    std::uint32_t chunk_average = 0;      // 0: the default (2 MiB)
    std::optional<std::string> progress;  // "bar", "lines", "none"; default: bar on a terminal
    // Joining a session (restore/validate --session, receive); unset: the command's defaults.
    std::string interface;                             // where to join the group
    std::string client_name;                           // as the sender lists us; empty: host name
    std::optional<std::chrono::seconds> timeout;       // give up after this long; 0: never
    std::optional<std::chrono::seconds> find_timeout;  // how long to look for the session
    std::optional<std::size_t> memory_limit;           // bytes for reassembly
    bool sync = true;                                  // receive: fsync before reporting done
};

// Throws ImagerError(bad_usage) naming the bad argument.
CommandLine parse_command_line(const std::vector<std::string>& args);

extern const char* const kImagerUsage;

}  // namespace castline::imager
