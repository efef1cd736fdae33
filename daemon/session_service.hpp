#pragma once
// castlined runs the multicast sessions of its site config (`sessions:`): one sender per session
// sending its image, found by name through the resolver on UDP 31527. A session that has ended
// is opened again for the next batch of machines, so a factory line can keep imaging.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/site_config.hpp"
#include "multicast/resolver.hpp"
#include "multicast/sender.hpp"

namespace castline::daemon {

class SessionService {
  public:
    explicit SessionService(boost::asio::io_context& io);
    ~SessionService();

    // Opens the config's sessions (closing those it no longer has or that changed). A session
    // that cannot be opened is logged and left out; the others run.
    void apply(const config::SiteConfig& config);

    // The open session of that name (for the operator API), or nullptr.
    multicast::Sender* sender(const std::string& name);
    std::vector<std::string> names() const;

  private:
    struct Running;
    void open(const config::SiteConfig& config, const config::Session& session);
    void reopen_later(const std::string& name);

    boost::asio::io_context& io_;
    config::SiteConfig config_;
    std::unique_ptr<multicast::SessionResolver> resolver_;
    std::map<std::string, std::unique_ptr<Running>> sessions_;
};

}  // namespace castline::daemon
