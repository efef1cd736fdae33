#include "imager/imager_cli.hpp"

#include <charconv>
#include <map>

#include "common/duration.hpp"
#include "common/mac_address.hpp"
#include "imager/errors.hpp"

namespace castline::imager {

const char* const kImagerUsage =
    "usage:\n"
    "  castline-imager capture --source PATH --output IMG [--level N] [--password-file F]\n"
    "                          [--raw] [--split SIZE] [--description TEXT]\n"
    "                          [--fallback-to-whole] [--kdf-iterations N] [--threads N]\n"
    "                          [--chunk-size AVERAGE] [--force]\n"
    "  castline-imager restore --image IMG --target PATH [--password-file F] [--verify]\n"
    "                          [--no-prevalidate] [--threads N]\n"
    "  castline-imager restore --session ADDRESS --target PATH [--session-password-file F]\n"
    "                          [--password-file F] [--verify]\n"
    "  castline-imager restore --url http://SERVER:PORT/PATH --target PATH [--password-file F]\n"
    "                          [--verify]\n"
    "  castline-imager validate --image IMG [--password-file F]\n"
    "  castline-imager validate --session ADDRESS [--session-password-file F] [--password-file F]\n"
    "  castline-imager validate --url http://SERVER:PORT/PATH [--password-file F]\n"
    "  castline-imager info --image IMG [--json] [--password-file F]\n"
    "  castline-imager postconfig --target DISK --spec FILE.json --mac MAC\n"
    "  castline-imager job --server HOST:PORT --token TOKEN [--sysfs DIR] [--power-file F]\n"
    "                      [--allow-loop]\n"
    "  castline-imager receive --session ADDRESS --target FILE [--password-file F] [--no-sync]\n"
    "common: [--progress bar|lines|none]\n"
    "with a session (--session, receive): [--interface IF] [--name NAME] [--timeout S]\n"
    "                 [--find-timeout S] [--memory MIB]\n"
    "ADDRESS: castline://SERVER[:RESOLVERPORT]/NAME or "
    "\\\\\\SERVER[:RESOLVERPORT]*TCPPORT*NAME*PASSWORD\n"
    "exit codes: 0 ok, 2 bad usage, 3 bad image, 4 wrong password, 5 target too small, 6 I/O "
    "error, 7 post-config failed, 8 session or network restore failed, 9 no target disk\n";

namespace {
[[noreturn]] void usage(const std::string& message) {
    throw ImagerError(ExitCode::bad_usage, message);
}

template <typename Int>
Int number(const std::string& option, const std::string& text, Int low, Int high) {
    Int value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high)
        usage(option + ": '" + text + "' is not a number in " + std::to_string(low) + ".." +
              std::to_string(high));
    return value;
}

enum class Kind { flag, value };

// What joining a multicast session takes, for every command that joins one.
const std::map<std::string, Kind> kSessionOptions = {{"--interface", Kind::value},
                                                     {"--name", Kind::value},
                                                     {"--timeout", Kind::value},
                                                     {"--find-timeout", Kind::value},
                                                     {"--memory", Kind::value}};

std::chrono::seconds duration(const std::string& option, const std::string& text, bool allow_zero) {
    const auto d = parse_duration(text);
    if (!d || (!allow_zero && d->count() == 0))
        usage(option + ": '" + text + "' is not a " + (allow_zero ? "" : "positive ") +
              "duration (e.g. 90, 90s, 15m)");
    return *d;
}
}  // namespace

CommandLine parse_command_line(const std::vector<std::string>& args) {
    CommandLine cl;
    if (args.empty()) usage("no command given");
    const auto& command = args[0];
    std::map<std::string, Kind> allowed;
    std::vector<std::string> required;
    if (command == "capture") {
        cl.command = CommandLine::Command::capture;
        allowed = {{"--source", Kind::value},
                   {"--output", Kind::value},
                   {"--level", Kind::value},
                   {"--password-file", Kind::value},
                   {"--raw", Kind::flag},
                   {"--split", Kind::value},
                   {"--description", Kind::value},
                   {"--fallback-to-whole", Kind::flag},
                   {"--kdf-iterations", Kind::value},
                   {"--threads", Kind::value},
                   {"--chunk-size", Kind::value},
                   {"--force", Kind::flag}};
        required = {"--source", "--output"};
    } else if (command == "restore") {
        cl.command = CommandLine::Command::restore;
        allowed = {{"--image", Kind::value},
                   {"--target", Kind::value},
                   {"--password-file", Kind::value},
                   {"--verify", Kind::flag},
                   {"--no-prevalidate", Kind::flag},
                   {"--threads", Kind::value},
                   {"--session", Kind::value},
                   {"--session-password-file", Kind::value},
                   {"--url", Kind::value}};
        required = {"--target"};
    } else if (command == "validate") {
        cl.command = CommandLine::Command::validate;
        allowed = {{"--image", Kind::value},
                   {"--password-file", Kind::value},
                   {"--session", Kind::value},
                   {"--session-password-file", Kind::value},
                   {"--url", Kind::value}};
    } else if (command == "info") {
        cl.command = CommandLine::Command::info;
        allowed = {
            {"--image", Kind::value}, {"--json", Kind::flag}, {"--password-file", Kind::value}};
        required = {"--image"};
    } else if (command == "postconfig") {
        cl.command = CommandLine::Command::postconfig;
        allowed = {{"--target", Kind::value}, {"--spec", Kind::value}, {"--mac", Kind::value}};
        required = {"--target", "--spec", "--mac"};
    } else if (command == "job") {
        cl.command = CommandLine::Command::job;
        allowed = {{"--server", Kind::value},
                   {"--token", Kind::value},
                   {"--sysfs", Kind::value},
                   {"--power-file", Kind::value},
                   {"--allow-loop", Kind::flag}};
        required = {"--server", "--token"};
    } else if (command == "receive") {
        cl.command = CommandLine::Command::receive;
        allowed = {{"--session", Kind::value},
                   {"--target", Kind::value},
                   {"--password-file", Kind::value},
                   {"--no-sync", Kind::flag}};
        required = {"--session", "--target"};
    } else if (command == "help" || command == "--help" || command == "-h") {
        cl.command = CommandLine::Command::help;
        return cl;
    } else {
        usage("unknown command '" + command +
              "' (capture, restore, validate, info, postconfig, job, receive)");
    }
    allowed["--progress"] = Kind::value;
    if (cl.command == CommandLine::Command::restore ||
        cl.command == CommandLine::Command::validate || cl.command == CommandLine::Command::receive)
        allowed.insert(kSessionOptions.begin(), kSessionOptions.end());

    std::map<std::string, std::string> seen;
    for (std::size_t i = 1; i < args.size(); ++i) {
        std::string name = args[i];
        std::optional<std::string> value;
        if (const auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const auto it = allowed.find(name);
        if (it == allowed.end()) usage(command + ": unknown option '" + name + "'");
        if (seen.count(name)) usage(command + ": " + name + " given twice");
        if (it->second == Kind::flag) {
            if (value) usage(command + ": " + name + " takes no value");
            seen[name] = "";
            continue;
        }
        if (!value) {
            if (i + 1 >= args.size()) usage(command + ": " + name + " needs a value");
            value = args[++i];
        }
        seen[name] = *value;
    }
    for (const auto& r : required)
        if (!seen.count(r)) usage(command + ": " + r + " is required");

    auto get = [&](const char* name) -> const std::string* {
        const auto it = seen.find(name);
        return it == seen.end() ? nullptr : &it->second;
    };
    if (auto v = get("--source")) cl.source = *v;
    if (auto v = get("--output")) cl.output = *v;
    if (auto v = get("--image")) cl.image = *v;
    if (auto v = get("--target")) cl.target = *v;
    if (auto v = get("--password-file")) cl.password_file = *v;
    if (auto v = get("--spec")) cl.spec = *v;
    if (cl.command == CommandLine::Command::restore ||
        cl.command == CommandLine::Command::validate) {
        const auto session = get("--session");
        const auto url = get("--url");
        if ((session != nullptr) + (url != nullptr) + (get("--image") != nullptr) != 1)
            usage(command +
                  ": give one of --image FILE, --session castline://SERVER[:PORT]/NAME or --url "
                  "http://SERVER:PORT/PATH");
        if (session) cl.session = *session;
        if (url) cl.url = *url;
        if (!session && get("--session-password-file"))
            usage(command + ": --session-password-file goes with --session");
        for (const auto& [name, kind] : kSessionOptions)
            if (!session && get(name.c_str()))
                usage(command + ": " + name + " goes with --session");
        if (!get("--image") && get("--no-prevalidate"))
            usage(command +
                  ": --no-prevalidate is for --image; a network restore verifies each chunk "
                  "before writing it");
    }
    if (cl.command == CommandLine::Command::receive) cl.session = *get("--session");
    if (auto v = get("--session-password-file")) cl.session_password_file = *v;
    if (auto v = get("--interface")) cl.interface = *v;
    if (auto v = get("--name")) cl.client_name = *v;
    if (auto v = get("--timeout")) cl.timeout = duration("--timeout", *v, true);
    if (auto v = get("--find-timeout")) cl.find_timeout = duration("--find-timeout", *v, false);
    if (auto v = get("--memory"))
        cl.memory_limit = number<std::size_t>("--memory", *v, 4, std::size_t{1} << 20) << 20;
    cl.sync = get("--no-sync") == nullptr;
    if (auto v = get("--server")) cl.server = *v;
    if (auto v = get("--token")) cl.token = *v;
    if (auto v = get("--sysfs")) cl.sysfs = *v;
    if (auto v = get("--power-file")) cl.power_file = *v;
    if (get("--allow-loop")) cl.allow_loop = true;
    if (auto v = get("--mac")) {
        if (!MacAddress::parse(*v))
            usage("--mac: '" + *v + "' is not a MAC address like 52:54:00:00:00:01");
        cl.mac = *v;
    }
    if (auto v = get("--description")) cl.description = *v;
    if (auto v = get("--level")) cl.level = number<int>("--level", *v, 1, 19);
    if (auto v = get("--threads")) cl.threads = number<int>("--threads", *v, 1, 64);
    if (auto v = get("--kdf-iterations"))
        cl.kdf_iterations = number<std::uint32_t>("--kdf-iterations", *v, 1000, 50'000'000);
    if (auto v = get("--split")) {
        const auto size = parse_size(*v);
        if (!size || *size < 1024 * 1024)
            usage("--split: '" + *v + "' is not a size of at least 1MiB (e.g. 4GiB)");
        cl.split_size = *size;
    }
    if (auto v = get("--chunk-size")) {
        const auto size = parse_size(*v);
        if (!size || *size < 64 * 1024 || *size > 16 * 1024 * 1024 || (*size & (*size - 1)) != 0)
            usage("--chunk-size: '" + *v + "' is not a power of two from 64KiB to 16MiB");
        cl.chunk_average = static_cast<std::uint32_t>(*size);
    }
    if (auto v = get("--progress")) {
        if (*v != "bar" && *v != "lines" && *v != "none")
            usage("--progress: '" + *v + "' is not bar, lines or none");
        cl.progress = *v;
    }
    cl.raw = get("--raw") != nullptr;
    cl.fallback_to_whole = get("--fallback-to-whole") != nullptr;
    cl.verify = get("--verify") != nullptr;
    cl.prevalidate = get("--no-prevalidate") == nullptr;
    cl.json = get("--json") != nullptr;
    cl.force = get("--force") != nullptr;
    if (cl.source.empty() && cl.command == CommandLine::Command::capture)
        usage("capture: --source is empty");
    return cl;
}

}  // namespace castline::imager
