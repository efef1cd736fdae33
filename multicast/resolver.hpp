#pragma once
// The session name resolver: answers ResolverQuery datagrams on UDP (default 31527) for the
// sessions registered with it, and stays silent for any other name, so a receiver can only
// find sessions that exist. One resolver serves every session of a process.
#include <boost/asio.hpp>
#include <map>
#include <string>

#include "multicast/resolver_codec.hpp"

namespace castline::multicast {

class SessionResolver {
  public:
    // Binds address:port; throws boost::system::system_error if the port is taken.
    SessionResolver(boost::asio::io_context& io, const boost::asio::ip::address_v4& address,
                    std::uint16_t port);
    void add(const ResolverAnswer& session) { sessions_[session.name] = session; }
    void remove(const std::string& name) { sessions_.erase(name); }
    std::uint16_t port() const { return socket_.local_endpoint().port(); }
    void close();

  private:
    void receive();
    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint peer_;
    std::array<std::uint8_t, 1024> buffer_{};
    std::map<std::string, ResolverAnswer> sessions_;
};

}  // namespace castline::multicast
