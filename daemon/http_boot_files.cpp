#include "daemon/http_boot_files.hpp"

#include <charconv>

#include "common/log.hpp"

namespace castline::daemon {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string_view content_type_for(std::string_view path) {
    if (path.ends_with(".ipxe")) return "text/plain";
    if (path.ends_with(".efi")) return "application/efi";
    return "application/octet-stream";
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const int hi = hex_value(text[i + 1]);
        const int lo = hex_value(text[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

RangeDecision parse_range(std::string_view header, std::uint64_t size) {
    constexpr std::string_view unit = "bytes=";
    if (!header.starts_with(unit)) return WholeFile{};
    const auto spec = header.substr(unit.size());
    if (spec.find(',') != std::string_view::npos) return WholeFile{};  // several: send it all
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) return WholeFile{};
    const auto first_text = spec.substr(0, dash);
    const auto last_text = spec.substr(dash + 1);
    if (first_text.empty()) {
        // Suffix range: the last N bytes.
        const auto suffix = parse_u64(last_text);
        if (!suffix) return WholeFile{};
        if (*suffix == 0 || size == 0) return Unsatisfiable{};
        const auto n = std::min(*suffix, size);
        return ByteRange{size - n, size - 1};
    }
    const auto first = parse_u64(first_text);
    if (!first) return WholeFile{};
    std::uint64_t last = size == 0 ? 0 : size - 1;
    if (!last_text.empty()) {
        const auto parsed = parse_u64(last_text);
        if (!parsed || *parsed < *first) return WholeFile{};
        last = std::min(*parsed, last);
    }
    if (*first >= size) return Unsatisfiable{};
    return ByteRange{*first, last};
}

HttpHandler boot_files_handler(std::shared_ptr<const tftp::BootRoot> root,
                               std::shared_ptr<const tftp::VirtualFiles> virtual_files,
                               std::shared_ptr<const tftp::ServedFileNames> served_files) {
    return [root, virtual_files, served_files](const HttpRequest& request,
                                               const HttpClient& client) -> HttpResponse {
        std::string_view target = request.target();
        target = target.substr(0, target.find('?'));
        const auto decoded = percent_decode(target);
        if (!decoded)
            return http_text_response(request, http::status::bad_request,
                                      "malformed percent escape in path\n");
        auto normalized = tftp::normalize_request_path(*decoded);
        if (auto* problem = std::get_if<tftp::PathProblem>(&normalized))
            return http_text_response(request,
                                      *problem == tftp::PathProblem::empty
                                          ? http::status::not_found
                                          : http::status::forbidden,
                                      std::string(tftp::describe(*problem)) + "\n");
        const auto& relative = std::get<std::string>(normalized);

        if (virtual_files) {
            if (auto content = virtual_files->find(relative, client.address)) {
                auto response = http_text_response(request, http::status::ok, std::move(*content),
                                                   std::string(content_type_for(relative)));
                if (request.method() == http::verb::head) {
                    const auto length = response.body().size();
                    response.body().clear();
                    response.content_length(length);
                }
                return response;
            }
        }
        auto opened = root->open(relative);
        if (auto* problem = std::get_if<tftp::PathProblem>(&opened)) {
            if (served_files && !tftp::is_violation(*problem))
                if (const auto named = served_files->find(relative); named != served_files->end())
                    log::warn("boot_file_missing", {{"file", relative},
                                                    {"named_by", named->second},
                                                    {"root", root->path().string()},
                                                    {"client", client.address.to_string()},
                                                    {"via", "http"}});
            return http_text_response(
                request,
                tftp::is_violation(*problem) ? http::status::forbidden : http::status::not_found,
                std::string(tftp::describe(*problem)) + "\n");
        }
        HttpFileResponse reply;
        reply.file = std::move(std::get<tftp::ConfinedFile>(opened));
        const auto size = reply.file.size();
        auto& header = reply.header;
        header.version(request.version());
        header.keep_alive(request.keep_alive());
        header.set(http::field::server, "castline");
        header.set(http::field::content_type, content_type_for(relative));
        header.set(http::field::accept_ranges, "bytes");
        const auto range = parse_range(request[http::field::range], size);
        if (std::holds_alternative<Unsatisfiable>(range)) {
            auto response = http_text_response(request, http::status::range_not_satisfiable,
                                               "range not satisfiable\n");
            response.set(http::field::content_range, "bytes */" + std::to_string(size));
            return response;
        }
        if (const auto* r = std::get_if<ByteRange>(&range)) {
            header.result(http::status::partial_content);
            header.set(http::field::content_range, "bytes " + std::to_string(r->first) + "-" +
                                                       std::to_string(r->last) + "/" +
                                                       std::to_string(size));
            reply.offset = r->first;
            reply.length = r->last - r->first + 1;
        } else {
            header.result(http::status::ok);
            reply.length = size;
        }
        header.content_length(reply.length);
        if (request.method() == http::verb::head) reply.length = 0;
        return reply;
    };
}

}  // namespace castline::daemon
