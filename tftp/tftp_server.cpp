#include "tftp/tftp_server.hpp"

#include <unistd.h>

#include "common/log.hpp"
#include "tftp/netascii.hpp"
#include "tftp/packet.hpp"
#include "tftp/transfer_session.hpp"

namespace castline::tftp {
namespace {

using boost::asio::ip::udp;

udp::endpoint endpoint_of(Ipv4Address address, std::uint16_t port) {
    return {boost::asio::ip::address_v4(address.value), port};
}

std::string endpoint_text(const udp::endpoint& e) {
    return e.address().to_string() + ":" + std::to_string(e.port());
}

std::string options_text(const std::vector<Option>& options) {
    std::string out;
    for (const auto& o : options) out += (out.empty() ? "" : ",") + o.name + "=" + o.value;
    return out;
}

// Reads a whole (small) file, for netascii conversion.
bool read_all(const ConfinedFile& file, std::string& out) {
    out.resize(file.size());
    std::size_t got = 0;
    while (got < out.size()) {
        const auto n =
            ::pread(file.fd(), out.data() + got, out.size() - got, static_cast<off_t>(got));
        if (n <= 0) return false;
        got += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

TftpServer::TftpServer(boost::asio::io_context& io, TftpServerSettings settings)
    : io_(io),
      settings_(std::move(settings)),
      root_(settings_.root),
      socket_(io, endpoint_of(settings_.address, settings_.port)),
      buffer_(65536) {
    receive();
}

TftpServer::~TftpServer() {
    stop();
}

std::uint16_t TftpServer::port() const {
    boost::system::error_code ignored;
    return socket_.local_endpoint(ignored).port();
}

void TftpServer::stop() {
    if (stopped_) return;
    stopped_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
    auto sessions = std::move(sessions_);
    sessions_.clear();
    for (auto& [raw, session] : sessions) session->stop();
}

void TftpServer::receive() {
    socket_.async_receive_from(boost::asio::buffer(buffer_), sender_,
                               [this](const boost::system::error_code& error, std::size_t length) {
                                   if (error == boost::asio::error::operation_aborted || stopped_)
                                       return;
                                   if (!error) on_datagram(length);
                                   receive();
                               });
}

void TftpServer::refuse(udp::socket& socket, ErrorCode code, std::string_view message,
                        std::string_view file, std::string_view reason) {
    const auto bytes = encode(Packet{Error{code, std::string(message)}});
    boost::system::error_code ignored;
    socket.send_to(boost::asio::buffer(bytes), sender_, 0, ignored);
    log::info("tftp_refused", {{"client", endpoint_text(sender_)},
                               {"file", file},
                               {"error", static_cast<int>(code)},
                               {"reason", reason}});
}

void TftpServer::on_datagram(std::size_t length) {
    const auto result = decode({buffer_.data(), length});
    if (!result.ok()) {
        // Only something that claims to be a request gets an answer; the rest is noise.
        if (length >= 2 && buffer_[0] == 0 && (buffer_[1] == 1 || buffer_[1] == 2))
            refuse(socket_, ErrorCode::illegal_operation,
                   "malformed request: " + result.error().to_string(), "",
                   result.error().to_string());
        else
            log::debug("tftp_dropped", {{"client", endpoint_text(sender_)},
                                        {"problem", result.error().to_string()}});
        return;
    }
    const auto* request = std::get_if<Request>(&result.packet());
    if (!request) {
        // ACK, DATA, ERROR or OACK for no transfer of ours: dropped, never answered, so the
        // port cannot be used to reflect traffic.
        log::debug("tftp_dropped", {{"client", endpoint_text(sender_)},
                                    {"problem", "not a request on the server port"}});
        return;
    }

    // Every answer to a request, error or data, comes from the transfer's own port (RFC 1350).
    // Out of descriptors or ports: drop the request; the client asks again.
    std::optional<DescriptorBudget::Lease> descriptors;
    if (settings_.descriptors) {
        descriptors = settings_.descriptors->take(2);
        if (!descriptors) {
            log::debug("tftp_dropped", {{"client", endpoint_text(sender_)},
                                        {"problem", "descriptor budget spent"}});
            return;
        }
    }
    udp::socket socket(io_);
    boost::system::error_code error;
    socket.open(udp::v4(), error);
    if (!error) socket.bind(endpoint_of(settings_.address, 0), error);
    if (!error) socket.connect(sender_, error);
    if (error) {
        log::warn("tftp_no_socket",
                  {{"client", endpoint_text(sender_)}, {"error", error.message()}});
        return;
    }

    if (request->opcode == Opcode::wrq) {
        refuse(socket, ErrorCode::access_violation, "write requests are not accepted",
               request->filename, "write request");
        return;
    }
    const bool netascii = request->mode == "netascii";
    if (!netascii && request->mode != "octet") {
        refuse(socket, ErrorCode::illegal_operation, "unsupported transfer mode", request->filename,
               "mode " + request->mode);
        return;
    }
    if (sessions_.size() >= settings_.max_transfers) {
        refuse(socket, ErrorCode::not_defined, "server busy, try again", request->filename,
               "too many transfers");
        return;
    }
    auto normalized = normalize_request_path(request->filename);
    if (auto* problem = std::get_if<PathProblem>(&normalized)) {
        refuse(socket, ErrorCode::access_violation, describe(*problem), request->filename,
               describe(*problem));
        return;
    }
    const auto& relative = std::get<std::string>(normalized);

    TransferSource source;
    const Ipv4Address client{sender_.address().to_v4().to_uint()};
    std::optional<std::string> generated;
    if (settings_.virtual_files) generated = settings_.virtual_files->find(relative, client);
    if (generated) {
        source.in_memory = true;
        source.memory = std::move(*generated);
    } else {
        auto opened = root_.open(relative);
        if (auto* problem = std::get_if<PathProblem>(&opened)) {
            const auto code =
                is_violation(*problem) ? ErrorCode::access_violation : ErrorCode::file_not_found;
            refuse(socket, code, describe(*problem), relative, describe(*problem));
            if (settings_.served_files && !is_violation(*problem))
                if (const auto named = settings_.served_files->find(relative);
                    named != settings_.served_files->end())
                    log::warn("boot_file_missing", {{"file", relative},
                                                    {"named_by", named->second},
                                                    {"root", settings_.root.string()},
                                                    {"client", endpoint_text(sender_)},
                                                    {"via", "tftp"}});
            return;
        }
        source.file = std::move(std::get<ConfinedFile>(opened));
    }
    if (netascii) {
        if (!source.in_memory) {
            if (source.file.size() > settings_.max_netascii_size) {
                refuse(socket, ErrorCode::not_defined, "file too large for netascii, use octet",
                       relative, "netascii too large");
                return;
            }
            if (!read_all(source.file, source.memory)) {
                refuse(socket, ErrorCode::not_defined, "read error", relative, "read error");
                return;
            }
            source.in_memory = true;
            source.file = ConfinedFile();
        }
        const auto converted = to_netascii(
            {reinterpret_cast<const std::uint8_t*>(source.memory.data()), source.memory.size()});
        source.memory.assign(converted.begin(), converted.end());
    }

    NegotiationLimits limits{
        .max_blksize = std::min(settings_.max_blksize, blksize_for_mtu(settings_.mtu)),
        .max_windowsize = settings_.max_windowsize,
        .default_timeout = settings_.timeout};
    auto negotiated = negotiate(request->options, limits, source.size());

    auto session = std::make_shared<TransferSession>(
        std::move(socket), sender_,
        TransferSession::Description{relative, options_text(request->options), request->mode},
        std::move(negotiated), settings_.retries, std::move(source),
        // The descriptors go back when the session (which owns this callback) is destroyed.
        [this, held = std::make_shared<decltype(descriptors)>(std::move(descriptors))](
            TransferSession* done) { sessions_.erase(done); });
    sessions_.emplace(session.get(), session);
    session->start();
}

}  // namespace castline::tftp
