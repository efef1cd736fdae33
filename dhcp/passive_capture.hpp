#pragma once
// A libpcap capture of the DHCP traffic on one interface, on castlined's io_context: the capture
// is non-blocking and its selectable descriptor waits in asio, so no thread. Hands every captured
// frame (the bytes libpcap kept) to a callback; what the frame means is parse_captured_frame's
// job, not this class's.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

struct pcap;
struct pcap_pkthdr;

namespace castline::dhcp {

class PassiveCapture {
  public:
    using Handler = std::function<void(std::span<const std::uint8_t> frame)>;

    PassiveCapture(boost::asio::io_context& io, std::string interface, Handler handler);
    ~PassiveCapture();
    PassiveCapture(const PassiveCapture&) = delete;
    PassiveCapture& operator=(const PassiveCapture&) = delete;

    // Starts capturing (filter `udp and (port 67 or port 68)`, immediate mode, not promiscuous);
    // on failure returns false and says why in `error` (no such device, no CAP_NET_RAW, not
    // Ethernet).
    bool open(std::string& error);
    void close();
    const std::string& interface() const { return interface_; }

  private:
    void wait();
    void drain();
    static void deliver(unsigned char* user, const pcap_pkthdr* header, const unsigned char* bytes);

    std::string interface_;
    Handler handler_;
    boost::asio::posix::stream_descriptor descriptor_;
    pcap* pcap_ = nullptr;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace castline::dhcp
