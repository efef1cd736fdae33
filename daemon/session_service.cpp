#include "daemon/session_service.hpp"

#include "common/log.hpp"
#include "common/multicast_defaults.hpp"
#include "imagecast/image_chunk_source.hpp"
#include "multicast/auth.hpp"
#include "multicast/session_address.hpp"

namespace castline::daemon {

struct SessionService::Running {
    config::Session settings;
    std::unique_ptr<imagecast::ImageChunkSource> source;
    std::unique_ptr<multicast::Sender> sender;
    boost::asio::steady_timer reopen;
    explicit Running(boost::asio::io_context& io) : reopen(io) {}
};

namespace {

bool same_settings(const config::Session& a, const config::Session& b) {
    return a.image == b.image && a.password_file == b.password_file && a.address == b.address &&
           a.port == b.port && a.control_port == b.control_port && a.interface == b.interface &&
           a.packet_size == b.packet_size && a.rate_mbit == b.rate_mbit && a.ttl == b.ttl &&
           a.clients == b.clients && a.min_clients == b.min_clients && a.max_wait == b.max_wait &&
           a.max_clients == b.max_clients && a.constantcast == b.constantcast &&
           a.time_limit == b.time_limit && a.late_policy == b.late_policy;
}

multicast::LatePolicy late_policy(config::LatePolicy p) {
    switch (p) {
        case config::LatePolicy::unicast:
            return multicast::LatePolicy::unicast;
        case config::LatePolicy::drop:
            return multicast::LatePolicy::drop;
        case config::LatePolicy::wait:
            break;
    }
    return multicast::LatePolicy::wait;
}

}  // namespace

SessionService::SessionService(boost::asio::io_context& io) : io_(io) {}
SessionService::~SessionService() = default;

void SessionService::apply(const config::SiteConfig& config) {
    config_ = config;
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        const auto kept = config.sessions.find(it->first);
        if (kept != config.sessions.end() && same_settings(kept->second, it->second->settings)) {
            ++it;
            continue;
        }
        if (it->second->sender) it->second->sender->stop("the config changed");
        if (resolver_) resolver_->remove(it->first);
        it = sessions_.erase(it);
    }
    if (config.sessions.empty()) {
        resolver_.reset();
        return;
    }
    if (!resolver_) {
        try {
            resolver_ = std::make_unique<multicast::SessionResolver>(
                io_, boost::asio::ip::address_v4::any(), multicast_defaults::resolver_port);
        } catch (const boost::system::system_error& e) {
            log::error("resolver_unavailable",
                       {{"port", multicast_defaults::resolver_port}, {"error", e.what()}});
        }
    }
    for (const auto& [name, session] : config.sessions)
        if (!sessions_.count(name)) open(config, session);
}

void SessionService::open(const config::SiteConfig& config, const config::Session& session) {
    auto running = std::make_unique<Running>(io_);
    running->settings = session;
    try {
        const auto image = config.images.at(session.image);
        std::optional<std::string> image_password;
        if (!image.password_file.empty())
            image_password = multicast::read_password_file(image.password_file);
        running->source = std::make_unique<imagecast::ImageChunkSource>(image.path, image_password);
        multicast::SenderSettings s;
        s.session_name = session.name;
        if (!session.password_file.empty())
            s.password = multicast::read_password_file(session.password_file);
        s.group = session.address;
        s.data_port = session.port;
        s.control_port = session.control_port;
        s.interface = session.interface.empty() && config.server.interfaces.size() == 1
                          ? config.server.interfaces.front()
                          : session.interface;
        s.packet_size = session.packet_size;
        s.rate_mbit = session.rate_mbit;
        s.ttl = session.ttl;
        s.start.clients = session.clients;
        s.start.min_clients = session.min_clients;
        s.start.max_wait = session.max_wait;
        s.max_clients = session.max_clients;
        s.constantcast = session.constantcast;
        s.time_limit = session.time_limit;
        s.late_policy = late_policy(session.late_policy);
        // Netbooted machines derive the session key (PBKDF2) and write to their disks while they
        // report; an emulated or busy one can take many seconds for either. A slow handshake
        // holds nothing up (only authenticated receivers count towards the start), so give it
        // time rather than drop a machine that would have finished.
        s.handshake_timeout = std::chrono::seconds(60);
        s.silence_timeout = std::chrono::seconds(60);
        running->sender = std::make_unique<multicast::Sender>(io_, s, *running->source);
        running->sender->open();
    } catch (const std::exception& e) {
        log::error("session_not_opened", {{"session", session.name}, {"error", e.what()}});
        return;
    }
    auto& sender = *running->sender;
    if (resolver_)
        resolver_->add(
            {session.name, sender.control_port(), session.address.value, sender.data_port()});
    const std::string name = session.name;
    sender.set_on_finished([this, name] { reopen_later(name); });
    log::info("session_open", {{"session", name},
                               {"image", session.image},
                               {"control_port", sender.control_port()},
                               {"data_port", sender.data_port()}});
    sessions_[name] = std::move(running);
}

multicast::Sender* SessionService::sender(const std::string& name) {
    const auto it = sessions_.find(name);
    return it == sessions_.end() ? nullptr : it->second->sender.get();
}

std::vector<std::string> SessionService::names() const {
    std::vector<std::string> out;
    for (const auto& [name, running] : sessions_) out.push_back(name);
    return out;
}

// After a run the session opens again for the next machines; the short pause lets the last
// receivers' connections close first.
void SessionService::reopen_later(const std::string& name) {
    const auto it = sessions_.find(name);
    if (it == sessions_.end()) return;
    const auto result = it->second->sender->result();
    log::info("session_ended",
              {{"session", name}, {"success", result.success}, {"summary", result.summary}});
    // Unlisted at once, so a machine that asks meanwhile waits for the next run instead of
    // joining one that has ended.
    if (resolver_) resolver_->remove(name);
    auto& timer = it->second->reopen;
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([this, name](boost::system::error_code ec) {
        if (ec) return;
        const auto config_session = config_.sessions.find(name);
        sessions_.erase(name);
        if (config_session != config_.sessions.end()) open(config_, config_session->second);
    });
}

}  // namespace castline::daemon
