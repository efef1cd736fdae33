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

void SessionResolver::receive() {
    socket_.async_receive_from(
        boost::asio::buffer(buffer_), peer_, [this](boost::system::error_code ec, std::size_t n) {
            if (ec == boost::asio::error::operation_aborted || !socket_.is_open()) return;
            if (!ec) {
                const auto decoded =
                    decode_resolver(std::span<const std::uint8_t>(buffer_.data(), n));
                if (const auto* q = std::get_if<ResolverQuery>(&decoded)) {
                    if (auto it = sessions_.find(q->name); it != sessions_.end()) {
                        const auto reply = encode_resolver(it->second);
                        boost::system::error_code send_error;
                        socket_.send_to(boost::asio::buffer(reply), peer_, 0, send_error);
                        log::info("resolver_answer",
                                  {{"session", q->name}, {"peer", peer_.address().to_string()}});
                    } else {
                        log::debug("resolver_unknown_session", {{"session", q->name}});
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
