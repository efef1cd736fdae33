#include "imagecast/job_document.hpp"

#include "common/multicast_defaults.hpp"
#include "imager/errors.hpp"

namespace castline::imagecast {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& field, const std::string& problem) {
    throw imager::ImagerError(imager::ExitCode::bad_usage, "job: " + field + ": " + problem);
}

// `object` is the document or one of its objects, `where` its name with a trailing '.' ("" for
// the document itself), so that messages name the field by its whole path.
const json* member(const json& object, const std::string& where, const char* key) {
    if (!object.is_object())
        bad(where.empty() ? "document" : where.substr(0, where.size() - 1), "expected an object");
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string text_field(const json& object, const std::string& where, const char* key) {
    const json* value = member(object, where, key);
    if (!value || !value->is_string()) bad(where + key, "expected text");
    return value->get<std::string>();
}

std::optional<std::string> optional_text(const json& object, const std::string& where,
                                         const char* key) {
    if (!member(object, where, key)) return std::nullopt;
    return text_field(object, where, key);
}

std::uint64_t size_field(const json& object, const std::string& where, const char* key) {
    const json* value = member(object, where, key);
    if (!value) return 0;
    if (!value->is_number_unsigned()) bad(where + key, "expected a size in bytes");
    return value->get<std::uint64_t>();
}

}  // namespace

JobDocument parse_job_document(const json& job) {
    JobDocument doc;
    doc.host = text_field(job, "", "host");
    const auto mac = MacAddress::parse(text_field(job, "", "mac"));
    if (!mac) bad("mac", "not a MAC");
    doc.mac = *mac;
    const json* restore = member(job, "", "restore");
    if (!restore || !restore->is_object()) bad("restore", "expected an object");
    doc.method = text_field(*restore, "restore.", "method");
    if (doc.method != "session" && doc.method != "unicast")
        bad("restore.method", "'" + doc.method + "' is not session or unicast");
    doc.power = optional_text(job, "", "power").value_or("reboot");
    if (doc.power != "reboot" && doc.power != "poweroff" && doc.power != "stay")
        bad("power", "'" + doc.power + "' is not reboot, poweroff or stay");
    doc.image = text_field(job, "", "image");
    if (doc.method == "session") {
        doc.session = text_field(*restore, "restore.", "session");
        doc.server = text_field(*restore, "restore.", "server");
        doc.resolver_port = multicast_defaults::resolver_port;
        if (const json* port = member(*restore, "restore.", "resolver_port")) {
            if (!port->is_number_unsigned() || port->get<std::uint64_t>() == 0 ||
                port->get<std::uint64_t>() > 65535)
                bad("restore.resolver_port", "expected a port number (1-65535)");
            doc.resolver_port = port->get<std::uint16_t>();
        }
        doc.session_password = optional_text(*restore, "restore.", "password").value_or("");
    } else {
        doc.url = text_field(*restore, "restore.", "url");
    }
    doc.image_password = optional_text(job, "", "image_password");
    if (const json* verify = member(job, "", "verify")) {
        if (!verify->is_boolean()) bad("verify", "expected true or false");
        doc.verify = verify->get<bool>();
    }
    if (const json* postconfig = member(job, "", "postconfig")) doc.postconfig = *postconfig;
    return doc;
}

// docs/jobs.md: {"rule": "only-fixed"} or {"rule": "match", "path": ..., "model": ..., ...}.
DiskRule job_disk_rule(const json& job) {
    DiskRule rule;
    rule.needed_bytes = size_field(job, "", "image_min_bytes");
    const json* disk = member(job, "", "disk");
    if (!disk) return rule;
    const auto kind = text_field(*disk, "disk.", "rule");
    if (kind == "only-fixed") return rule;
    if (kind != "match") bad("disk.rule", "'" + kind + "' is not only-fixed or match");
    rule.path = optional_text(*disk, "disk.", "path").value_or("");
    rule.model = optional_text(*disk, "disk.", "model").value_or("");
    rule.serial = optional_text(*disk, "disk.", "serial").value_or("");
    rule.min_size = size_field(*disk, "disk.", "min_size");
    rule.max_size = size_field(*disk, "disk.", "max_size");
    if (rule.only_fixed()) bad("disk", "rule match names no criterion");
    return rule;
}

}  // namespace castline::imagecast
