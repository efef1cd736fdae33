// Any bytes as the job castlined hands castline-imager (docs/jobs.md), parsed as castline-imager
// does after fetching it: the document, its disk rule and its post-config are taken or refused
// with ImagerError naming the field, never a crash or another exception.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "imagecast/job_document.hpp"
#include "imager/errors.hpp"
#include "imager/postconfig_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline;
    const auto job = nlohmann::json::parse(
        std::string_view(reinterpret_cast<const char*>(data), size), nullptr, false);
    if (job.is_discarded() || !job.is_object()) return 0;  // JobClient::fetch refuses these
    try {
        const auto doc = imagecast::parse_job_document(job);
        if (doc.method != "session" && doc.method != "unicast") __builtin_trap();
        if (doc.method == "session" && doc.resolver_port == 0) __builtin_trap();
        (void)imagecast::job_disk_rule(job);
        if (!doc.postconfig.is_null()) (void)imager::parse_postconfig_spec(doc.postconfig.dump());
    } catch (const imager::ImagerError& e) {
        if (std::string_view(e.what()).empty()) __builtin_trap();
    }
    return 0;
}
