#include "multicast/resolver.hpp"

#include "common/log.hpp"

namespace castline::multicast {

using boost::asio::ip::udp;

SessionResolver::SessionResolver(boost::asio::io_context& io,
                                 const boost::asio::ip::address_v4& address, std::uint16_t port)
    : socket_(io) {
    socket_.open(udp::v4());
    socket_.bind({address, port});
    receive();
}

void SessionResolver::close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void SessionResolver::add(const ResolverAnswer& session) {
    sessions_[session.name] = session;
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(waiting_, [&](const Waiting& w) {
        if (now - w.asked > waiting_time) return true;
        if (w.name != session.name) return false;
        answer(session, w.peer);
        return true;
    });
}

void SessionResolver::answer(const ResolverAnswer& session, const udp::endpoint& peer) {
    const auto reply = encode_resolver(session);
    boost::system::error_code ignored;
    socket_.send_to(boost::asio::buffer(reply), peer, 0, ignored);
    log::info("resolver_answer", {{"session", session.name}, {"peer", peer.address().to_string()}});
}

void SessionResolver::remember(const std::string& name, const udp::endpoint& peer) {
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(waiting_, [&](const Waiting& w) {
        return now - w.asked > waiting_time || (w.peer == peer && w.name == name);
    });
    // Bounded: a flood of queries for made-up names costs at most this much memory.
    if (waiting_.size() < max_waiting) waiting_.push_back({name, peer, now});
}

void SessionResolver::receive() {
    socket_.async_receive_from(
        boost::asio::buffer(buffer_), peer_, [this](boost::system::error_code ec, std::size_t n) {
            if (ec == boost::asio::error::operation_aborted || !socket_.is_open()) return;
            if (!ec) {
                const auto decoded =
                    decode_resolver(std::span<const std::uint8_t>(buffer_.data(), n));
                if (const auto* q = std::get_if<ResolverQuery>(&decoded)) {
                    if (auto it = sessions_.find(q->name); it != sessions_.end()) {
                        answer(it->second, peer_);
                    } else {
                        log::debug("resolver_unknown_session", {{"session", q->name}});
                        remember(q->name, peer_);
                    }
                } else if (const auto* e = std::get_if<ResolverError>(&decoded)) {
                    log::debug("resolver_bad_query",
                               {{"peer", peer_.address().to_string()}, {"error", e->reason}});
                }
            }
            receive();
        });
}

}  // namespace castline::multicast
