#pragma once
// A TFTP server on one IPv4 address: read requests only, each transfer on its own socket.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <unordered_map>

#include "common/descriptor_budget.hpp"
#include "common/ipv4_address.hpp"
#include "tftp/boot_path.hpp"
#include "tftp/options.hpp"
#include "tftp/virtual_files.hpp"

namespace castline::tftp {

class TransferSession;

// A file under boot.root -> the config key that names it, e.g. "undionly.kpxe" ->
// "boot.loaders.bios".
using ServedFileNames = std::map<std::string, std::string>;

struct TftpServerSettings {
    Ipv4Address address;      // where to listen; transfers use the same address
    std::uint16_t port = 69;  // 0: an ephemeral port (tests), see TftpServer::port()
    std::filesystem::path root;
    int mtu = 1500;  // of the interface, caps blksize
    std::uint16_t max_blksize = 1468;
    std::uint16_t max_windowsize = 64;
    std::chrono::milliseconds timeout{1000};
    int retries = 5;
    std::size_t max_transfers = 1024;                 // more at once are refused with "server busy"
    std::size_t max_netascii_size = 4 * 1024 * 1024;  // netascii is converted in memory
    std::shared_ptr<const VirtualFiles> virtual_files;  // may be null
    // The files the site config serves (file -> the key naming it, see config/served_files.hpp):
    // a request for one that is missing is logged as a warning. May be null.
    std::shared_ptr<const ServedFileNames> served_files;
    // Shared with the other services; a transfer holds two (its socket and its file). A request
    // that finds the budget spent is dropped like one that finds no socket. May be null.
    std::shared_ptr<DescriptorBudget> descriptors;
};

class TftpServer {
  public:
    // Binds at once; throws boost::system::system_error when the address or port is taken.
    TftpServer(boost::asio::io_context& io, TftpServerSettings settings);
    ~TftpServer();
    TftpServer(const TftpServer&) = delete;
    TftpServer& operator=(const TftpServer&) = delete;

    std::uint16_t port() const;
    std::size_t active_transfers() const { return sessions_.size(); }
    // Closes the listening socket and ends every transfer.
    void stop();

  private:
    void receive();
    void on_datagram(std::size_t length);
    void refuse(boost::asio::ip::udp::socket& socket, ErrorCode code, std::string_view message,
                std::string_view file, std::string_view reason);

    boost::asio::io_context& io_;
    TftpServerSettings settings_;
    BootRoot root_;
    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint sender_;
    std::vector<std::uint8_t> buffer_;
    std::unordered_map<TransferSession*, std::shared_ptr<TransferSession>> sessions_;
    bool stopped_ = false;
};

}  // namespace castline::tftp
