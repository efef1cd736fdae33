#pragma once
// Sends Wake-on-LAN magic packets out of one interface: as UDP to the subnet-directed broadcast
// on ports 7 and 9, and as a raw Ethernet frame (EtherType 0x0842) through libpcap.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <string_view>
#include "common/ipv4_address.hpp"
#include "common/mac_address.hpp"

#include "pxe/wake_on_lan.hpp"

struct pcap;

namespace castline::daemon {

struct WakeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct WakeOptions {
    std::string interface;
    std::optional<pxe::SecureOnPassword> password;
    int repeat = 3;  // copies of each packet, a few milliseconds apart
    bool udp = true;
    bool raw = true;
};

class WakeSender {
  public:
    // Opens the interface; throws WakeError naming it when it does not exist or cannot be used.
    explicit WakeSender(WakeOptions options);
    ~WakeSender();
    WakeSender(const WakeSender&) = delete;
    WakeSender& operator=(const WakeSender&) = delete;

    // Sends every configured form `repeat` times; throws WakeError when nothing could be sent.
    // `host` is the target's name for the log line, when it has one.
    void wake(const MacAddress& target, std::string_view host = {});

    Ipv4Address broadcast() const { return broadcast_; }

  private:
    WakeOptions options_;
    MacAddress interface_mac_;
    Ipv4Address broadcast_{0xffffffff};
    int udp_socket_ = -1;
    pcap* pcap_ = nullptr;
};

}  // namespace castline::daemon
