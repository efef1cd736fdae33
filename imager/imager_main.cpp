// castline-imager: capture, restore, validate and inspect images; restore from a multicast
// session or over HTTP; receive a plain file from a session (docs/imager.md).
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include <malloc.h>
#include <unistd.h>

#include "common/duration.hpp"
#include "common/log.hpp"
#include "common/log_style.hpp"
#include "imagecast/file_receive.hpp"
#include "imagecast/job_command.hpp"
#include "imagecast/network_restore.hpp"
#include "imagecast/url_restore.hpp"
#include "imager/capture.hpp"
#include "imager/errors.hpp"
#include "imager/file_io.hpp"
#include "imager/image_info.hpp"
#include "imager/image_key.hpp"
#include "imager/image_reader.hpp"
#include "imager/imager_cli.hpp"
#include "imager/postconfig.hpp"
#include "imager/restore.hpp"
#include "imager/validate.hpp"
#include "multicast/auth.hpp"

using namespace castline::imager;

namespace {

Progress::Style progress_style(const CommandLine& cl) {
    if (!cl.progress) return Progress::default_style(stderr);
    if (*cl.progress == "bar") return Progress::Style::bar;
    if (*cl.progress == "lines") return Progress::Style::lines;
    return Progress::Style::quiet;
}

std::optional<std::string> password(const CommandLine& cl) {
    if (cl.password_file.empty()) return std::nullopt;
    return read_password_file(cl.password_file);
}

std::string whole_file(const std::string& path) {
    const File file(path, File::Mode::read);
    std::string text(file.size(), '\0');
    file.read_exact(0, {reinterpret_cast<std::uint8_t*>(text.data()), text.size()});
    return text;
}

// A network restore's size is known only once the manifest has arrived, so progress is printed
// from the restore's snapshots rather than by a Progress of fixed total.
std::function<void(const ProgressSnapshot&)> snapshot_printer(Progress::Style style) {
    if (style == Progress::Style::quiet) return {};
    return [style](const ProgressSnapshot& s) {
        if (style == Progress::Style::bar)
            std::fprintf(stderr, "\r%s", format_progress_bar(s, 40).c_str());
        else
            std::fprintf(stderr, "%s\n", format_progress_line(s).c_str());
    };
}

// How to join cl.session, for every command that joins one. The join password comes from
// password_file if given, else from the address (TeraByte's form carries one).
castline::multicast::ReceiverSettings receiver_settings(const CommandLine& cl,
                                                        const std::string& password_file,
                                                        std::chrono::seconds find_timeout) {
    auto parsed = castline::multicast::parse_session_address(cl.session);
    if (const auto* e = std::get_if<castline::multicast::AddressError>(&parsed))
        throw ImagerError(ExitCode::bad_usage, "--session: " + e->reason);
    castline::multicast::ReceiverSettings s;
    s.address = std::get<castline::multicast::SessionAddress>(parsed);
    if (!password_file.empty()) {
        // The session's reader (first line, may be empty), as the sender reads it; an unreadable
        // file is a usage error like the image's password file.
        try {
            s.password = castline::multicast::read_password_file(password_file);
        } catch (const std::exception& e) {
            throw ImagerError(ExitCode::bad_usage, e.what());
        }
    } else if (s.address.password)
        s.password = *s.address.password;
    s.client_name = cl.client_name;
    if (s.client_name.empty()) {
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        s.client_name = host;
    }
    s.interface = cl.interface;
    if (cl.memory_limit) s.memory_limit = *cl.memory_limit;
    if (cl.timeout) s.timeout = *cl.timeout;
    s.find_timeout = cl.find_timeout.value_or(find_timeout);
    return s;
}

// restore|validate --session CASTLINE-ADDRESS.
void restore_from_session(const CommandLine& cl, bool write) {
    castline::imagecast::NetworkRestoreOptions o;
    o.receiver =
        receiver_settings(cl, cl.session_password_file, castline::imagecast::kRestoreFindTimeout);
    o.target = cl.target;
    o.image_password = password(cl);
    o.verify = cl.verify;
    o.write = write;
    const auto style = progress_style(cl);
    o.on_progress = snapshot_printer(style);
    castline::imagecast::restore_from_session(o);
    if (style == Progress::Style::bar) std::fputc('\n', stderr);
    std::printf("%s session %s from %s%s\n", write ? "restored" : "validated",
                o.receiver.address.name.c_str(), o.receiver.address.server.c_str(),
                write && cl.verify ? ", verified" : "");
}

// receive --session ADDRESS --target FILE: a plain file (`castline multicast send --file`).
// There is no image password here, so --password-file is the session's.
void receive_file(const CommandLine& cl) {
    castline::imagecast::FileReceiveOptions o;
    o.receiver = receiver_settings(cl, cl.password_file,
                                   castline::multicast::ReceiverSettings{}.find_timeout);
    o.target = cl.target;
    o.sync = cl.sync;
    const auto style = progress_style(cl);
    o.on_progress = snapshot_printer(style);
    castline::imagecast::receive_file(o);
    if (style == Progress::Style::bar) std::fputc('\n', stderr);
    std::printf("received session %s from %s into %s\n", o.receiver.address.name.c_str(),
                o.receiver.address.server.c_str(), cl.target.c_str());
}

// restore|validate --url: an image castlined serves over HTTP (docs/jobs.md, "Unicast").
void restore_from_url(const CommandLine& cl, bool write) {
    castline::imagecast::UrlRestoreOptions o;
    o.url = cl.url;
    o.target = cl.target;
    o.image_password = password(cl);
    o.verify = cl.verify;
    o.write = write;
    o.on_progress = snapshot_printer(progress_style(cl));
    castline::imagecast::restore_from_url(o);
    if (progress_style(cl) == Progress::Style::bar) std::fputc('\n', stderr);
    std::printf("%s %s%s\n", write ? "restored" : "validated", cl.url.c_str(),
                write && cl.verify ? ", verified" : "");
}

void print_warnings(const std::vector<std::string>& warnings) {
    for (const auto& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
}

int run(const CommandLine& cl) {
    switch (cl.command) {
        case CommandLine::Command::help:
            std::fputs(kImagerUsage, stdout);
            return 0;
        case CommandLine::Command::capture: {
            CaptureOptions o;
            o.source = cl.source;
            o.output = cl.output;
            o.level = cl.level;
            o.password = password(cl);
            if (cl.kdf_iterations) o.kdf_iterations = *cl.kdf_iterations;
            o.raw = cl.raw;
            o.fallback_to_whole = cl.fallback_to_whole;
            o.split_size = cl.split_size;
            o.description = cl.description;
            o.threads = cl.threads;
            if (cl.chunk_average != 0) o.chunker = chunker_for_average(cl.chunk_average);
            o.progress = progress_style(cl);
            o.overwrite = cl.force;
            const auto r = capture(o);
            print_warnings(r.warnings);
            std::printf("captured %s: read %s, used data %s in %llu chunks, image %s\n",
                        cl.source.c_str(), castline::size_text(r.read_bytes).c_str(),
                        castline::size_text(r.stored_plain).c_str(),
                        static_cast<unsigned long long>(r.chunks),
                        castline::size_text(r.image_bytes).c_str());
            return 0;
        }
        case CommandLine::Command::restore: {
            if (!cl.session.empty()) {
                restore_from_session(cl, true);
                return 0;
            }
            if (!cl.url.empty()) {
                restore_from_url(cl, true);
                return 0;
            }
            RestoreOptions o;
            o.image = cl.image;
            o.target = cl.target;
            o.password = password(cl);
            o.verify = cl.verify;
            o.prevalidate = cl.prevalidate;
            o.threads = cl.threads;
            o.progress = progress_style(cl);
            const auto r = restore(o);
            print_warnings(r.warnings);
            std::printf("restored used data %s in %llu chunks to %s%s\n",
                        castline::size_text(r.written_bytes).c_str(),
                        static_cast<unsigned long long>(r.chunks), cl.target.c_str(),
                        r.verified ? ", verified" : "");
            return 0;
        }
        case CommandLine::Command::validate: {
            if (!cl.session.empty()) {
                restore_from_session(cl, false);
                return 0;
            }
            if (!cl.url.empty()) {
                restore_from_url(cl, false);
                return 0;
            }
            ValidateOptions o;
            o.image = cl.image;
            o.password = password(cl);
            o.progress = progress_style(cl);
            const auto r = validate(o);
            std::printf("image is valid: %llu chunks, used data %s\n",
                        static_cast<unsigned long long>(r.chunks),
                        castline::size_text(r.plain_bytes).c_str());
            return 0;
        }
        case CommandLine::Command::info: {
            ImageReader reader(cl.image);
            const Manifest* manifest = nullptr;
            const auto pw = password(cl);
            if (!reader.header().encrypted || pw) manifest = &reader.load_manifest(pw);
            const auto parts =
                part_file_count(reader.header().image_length, reader.header().split_size);
            const auto text = cl.json ? format_info_json(reader.header(), manifest, parts)
                                      : format_info_text(reader.header(), manifest, parts);
            std::fputs(text.c_str(), stdout);
            return 0;
        }
        case CommandLine::Command::receive:
            receive_file(cl);
            return 0;
        case CommandLine::Command::job:
            return castline::imagecast::run_job({.server = cl.server,
                                                 .token = cl.token,
                                                 .sysfs = cl.sysfs,
                                                 .power_file = cl.power_file,
                                                 .allow_loop = cl.allow_loop});
        case CommandLine::Command::postconfig: {
            const auto spec = parse_postconfig_spec(whole_file(cl.spec));
            apply_postconfig(
                cl.target, spec, *castline::MacAddress::parse(cl.mac),
                [](const std::string& change) { std::printf("%s\n", change.c_str()); });
            return 0;
        }
    }
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    // Chunks come and go as megabyte buffers. By default glibc gives freed ones back to the
    // kernel and then faults them in again, at microseconds per page on a virtual machine: kept,
    // a capture takes half the page faults (35k -> 16k for 816 MB) and a restore a third.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        const auto command_line = parse_command_line(args);
        // A person at a terminal reads the receiver's log lines as "12:00:01 event key=value";
        // `job` runs unattended on the netbooted machine, whose console keeps logfmt like
        // castlined's log.
        if (command_line.command != CommandLine::Command::job)
            castline::log::set_style(castline::log::style_for(STDERR_FILENO));
        return run(command_line);
    } catch (const ImagerError& e) {
        std::fprintf(stderr, "castline-imager: %s\n", e.what());
        if (e.code == ExitCode::bad_usage) std::fputs(kImagerUsage, stderr);
        return static_cast<int>(e.code);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "castline-imager: %s\n", e.what());
        return static_cast<int>(ExitCode::io_error);
    }
}
