#pragma once
// The session name resolver: answers ResolverQuery datagrams on UDP (default 31527) for the
// sessions registered with it, and stays silent for any other name, so a receiver can only
// find sessions that exist. One resolver serves every session of a process.
// A query for a name that is not (yet) registered is remembered for a second: when that session
// is added, the waiting receivers are answered at once instead of at their next retry.
#include <boost/asio.hpp>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "multicast/resolver_codec.hpp"

namespace castline::multicast {

class SessionResolver {
  public:
    // Binds address:port; throws boost::system::system_error if the port is taken.
    SessionResolver(boost::asio::io_context& io, const boost::asio::ip::address_v4& address,
                    std::uint16_t port);
    void add(const ResolverAnswer& session);
    void remove(const std::string& name) { sessions_.erase(name); }
    std::uint16_t port() const { return socket_.local_endpoint().port(); }
    void close();

    static constexpr std::size_t max_waiting = 256;
    static constexpr auto waiting_time = std::chrono::seconds(1);

  private:
    struct Waiting {
        std::string name;
        boost::asio::ip::udp::endpoint peer;
        std::chrono::steady_clock::time_point asked;
    };
    void receive();
    void answer(const ResolverAnswer& session, const boost::asio::ip::udp::endpoint& peer);
    void remember(const std::string& name, const boost::asio::ip::udp::endpoint& peer);
    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint peer_;
    std::array<std::uint8_t, 1024> buffer_{};
    std::map<std::string, ResolverAnswer> sessions_;
    std::vector<Waiting> waiting_;
};

}  // namespace castline::multicast
