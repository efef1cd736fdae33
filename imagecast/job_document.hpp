#pragma once
// The job castlined hands castline-imager (docs/jobs.md), checked field by field before any of
// it is acted on: the document arrives over the network, so every field is hostile until its
// type and value are known. Errors are ImagerError(bad_usage) "job: FIELD: problem".
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/mac_address.hpp"
#include "imagecast/disk_choice.hpp"

namespace castline::imagecast {

struct JobDocument {
    std::string host;
    MacAddress mac;
    std::string image;
    std::string method;  // "session" or "unicast"
    // method session: the session's name, the resolver's address and its join password.
    std::string session;
    std::string server;
    std::uint16_t resolver_port = 0;
    std::string session_password;
    // method unicast: where the image frame is.
    std::string url;
    std::optional<std::string> image_password;
    std::string power = "reboot";  // reboot, poweroff or stay
    bool verify = true;
    nlohmann::json postconfig;  // null, or docs/postconfig.md's JSON form (checked when applied)
};

JobDocument parse_job_document(const nlohmann::json& job);

// The target disk rule of the job (`disk`, `image_min_bytes`), checked when the disk is chosen.
DiskRule job_disk_rule(const nlohmann::json& job);

}  // namespace castline::imagecast
