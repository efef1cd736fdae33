#pragma once
// The job castlined hands a booting host's imager (docs/jobs.md): built from the site config
// for that host, with its post-config rendered (every ${variable} filled) and file drops read
// from their sources. Pure apart from reading the files the config names.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "common/ipv4_address.hpp"
#include "config/site_config.hpp"

namespace castline::daemon {

// Why no job can be made for a host (a group without a session, an unreadable file, ...).
struct JobError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The image a host's job restores, with its password when it is encrypted. Throws JobError.
struct JobImage {
    std::string name;
    std::filesystem::path path;
    std::optional<std::string> password;
};
// A rollout in progress for the host names its own image, session and post-config over the
// group's (docs/fleet.md).
JobImage job_image(const config::SiteConfig& config, const config::Host& host,
                   const config::Rollout* rollout = nullptr);

// The post-config for `host` in docs/postconfig.md's JSON form, or null when it has none.
nlohmann::json rendered_postconfig(const config::SiteConfig& config, const config::Host& host,
                                   Ipv4Address server, const config::Rollout* rollout = nullptr);

// Throws JobError.
nlohmann::json job_document(const config::SiteConfig& config, const config::Host& host,
                            const std::string& token, Ipv4Address server,
                            const config::Rollout* rollout = nullptr);

}  // namespace castline::daemon
