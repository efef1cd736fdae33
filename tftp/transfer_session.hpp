#pragma once
// One read transfer on its own UDP socket: drives a ReadTransfer with real packets and a timer.
// File data is read per send batch with pread, so memory per transfer is one batch buffer,
// however large the file.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tftp/boot_path.hpp"
#include "tftp/options.hpp"
#include "tftp/packet.hpp"
#include "tftp/read_transfer.hpp"
#include "tftp/retransmission_timeout.hpp"

namespace castline::tftp {

// Where the bytes come from: an open file inside the boot root, or generated content.
struct TransferSource {
    ConfinedFile file;
    std::string memory;  // used when the file is not open
    bool in_memory = false;
    std::uint64_t size() const { return in_memory ? memory.size() : file.size(); }
};

class TransferSession : public std::enable_shared_from_this<TransferSession> {
  public:
    struct Description {
        std::string file;     // as logged: the normalised relative name
        std::string options;  // what the client asked for, e.g. "blksize=1468 tsize=0"
        std::string mode;
    };
    using Done = std::function<void(TransferSession*)>;

    TransferSession(boost::asio::ip::udp::socket socket, boost::asio::ip::udp::endpoint client,
                    Description description, NegotiatedOptions options, int max_retries,
                    TransferSource source, Done done);

    void start();
    // Ends the transfer without a word to the client (server shutdown).
    void stop();

  private:
    void receive();
    void on_packet(std::size_t length);
    void perform(const ReadTransfer::Step& step);
    void send_oack();
    void pump();
    bool read_blocks(std::uint64_t first, std::uint64_t count);
    void arm_timer();
    void wait_for_deadline();
    void finish();

    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint client_;
    boost::asio::steady_timer timer_;
    Description description_;
    NegotiatedOptions options_;
    TransferSource source_;
    ReadTransfer transfer_;
    RetransmissionTimeout rto_;
    Done done_;

    std::vector<std::uint8_t> receive_buffer_;
    std::vector<std::uint8_t> batch_;  // payloads of up to batch_blocks_ consecutive blocks
    std::uint64_t batch_blocks_ = 1;
    std::uint64_t pending_first_ = 0;  // blocks still to send for the current step
    std::uint64_t pending_end_ = 0;
    bool waiting_writable_ = false;
    bool timer_waiting_ = false;
    std::uint64_t timer_generation_ = 0;  // tells a replaced wait's handler to do nothing
    std::chrono::steady_clock::time_point deadline_{};
    bool finished_ = false;
    std::uint64_t timeouts_ = 0;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace castline::tftp
