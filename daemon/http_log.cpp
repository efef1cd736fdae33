#include "daemon/http_log.hpp"

namespace castline::daemon {

std::string loggable_target(std::string_view target) {
    static constexpr std::string_view marker = "/jobs/";
    std::string out;
    out.reserve(target.size());
    while (!target.empty()) {
        const auto at = target.find(marker);
        if (at == std::string_view::npos) break;
        out.append(target.substr(0, at + marker.size()));
        target.remove_prefix(at + marker.size());
        const auto end = target.find_first_of("/?#");
        const auto token = target.substr(0, end);
        if (token.size() > logged_token_length) {
            out.append(token.substr(0, logged_token_length));
            out.append("...");
        } else {
            out.append(token);
        }
        target.remove_prefix(token.size());
    }
    out.append(target);
    return out;
}

}  // namespace castline::daemon
