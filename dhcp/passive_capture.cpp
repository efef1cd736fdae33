#include "dhcp/passive_capture.hpp"

#include <pcap/pcap.h>

#include "common/log.hpp"

namespace castline::dhcp {

namespace {
// Room for a 1500-byte IP packet behind two VLAN tags; a longer DHCP message arrives cut short
// and parse_captured_frame refuses it as truncated.
constexpr int snap_length = 2048;
constexpr int buffer_size = 1 << 20;
// Tagged frames whose tag the kernel did not strip need the `vlan` form; `vlan` shifts the
// offsets of what follows it, so it comes last.
constexpr const char* filter =
    "(udp and (port 67 or port 68)) or (vlan and udp and (port 67 or port 68))";
// Frames handled per wake-up, so a flood on one segment cannot hold the io_context.
constexpr int batch = 64;
}  // namespace

PassiveCapture::PassiveCapture(boost::asio::io_context& io, std::string interface, Handler handler)
    : interface_(std::move(interface)), handler_(std::move(handler)), descriptor_(io) {}

PassiveCapture::~PassiveCapture() {
    close();
}

bool PassiveCapture::open(std::string& error) {
    char buffer[PCAP_ERRBUF_SIZE] = {};
    pcap_ = pcap_create(interface_.c_str(), buffer);
    if (!pcap_) {
        error = buffer;
        return false;
    }
    const auto give_up = [&](std::string why) {
        error = std::move(why);
        pcap_close(pcap_);
        pcap_ = nullptr;
        return false;
    };
    pcap_set_snaplen(pcap_, snap_length);
    pcap_set_promisc(pcap_, 0);
    // Without immediate mode libpcap holds frames until a buffer block fills or times out.
    pcap_set_immediate_mode(pcap_, 1);
    pcap_set_buffer_size(pcap_, buffer_size);
    const int status = pcap_activate(pcap_);
    if (status < 0) {
        const std::string detail = pcap_geterr(pcap_);
        return give_up(std::string(pcap_statustostr(status)) +
                       (detail.empty() ? "" : ": " + detail));
    }
    if (const int link = pcap_datalink(pcap_); link != DLT_EN10MB) {
        const char* name = pcap_datalink_val_to_name(link);
        return give_up("link type " + std::string(name ? name : std::to_string(link)) +
                       " is not Ethernet");
    }
    bpf_program program{};
    if (pcap_compile(pcap_, &program, filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
        return give_up("filter: " + std::string(pcap_geterr(pcap_)));
    const bool filtered = pcap_setfilter(pcap_, &program) == 0;
    pcap_freecode(&program);
    if (!filtered) return give_up("filter: " + std::string(pcap_geterr(pcap_)));
    if (pcap_setnonblock(pcap_, 1, buffer) != 0) return give_up(buffer);
    const int fd = pcap_get_selectable_fd(pcap_);
    if (fd < 0) return give_up("no selectable descriptor");
    boost::system::error_code assigned;
    descriptor_.assign(fd, assigned);
    if (assigned) return give_up(assigned.message());
    wait();
    return true;
}

void PassiveCapture::close() {
    if (!pcap_) return;
    // The descriptor belongs to libpcap: asio lets go of it (cancelling the wait) before
    // pcap_close closes it.
    if (descriptor_.is_open()) descriptor_.release();
    pcap_close(pcap_);
    pcap_ = nullptr;
    alive_.reset();
}

void PassiveCapture::wait() {
    descriptor_.async_wait(
        boost::asio::posix::descriptor_base::wait_read,
        [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& error) {
            if (alive.expired() || error) return;
            drain();
        });
}

void PassiveCapture::drain() {
    const int n = pcap_dispatch(pcap_, batch, &PassiveCapture::deliver,
                                reinterpret_cast<unsigned char*>(this));
    if (n == PCAP_ERROR) {
        // E.g. the interface went away: stop here rather than spin on a descriptor that
        // stays readable; a reload opens the capture again.
        log::error("dhcp_capture_failed",
                   {{"interface", interface_}, {"error", std::string(pcap_geterr(pcap_))}});
        return;
    }
    wait();
}

void PassiveCapture::deliver(unsigned char* user, const pcap_pkthdr* header,
                             const unsigned char* bytes) {
    auto* self = reinterpret_cast<PassiveCapture*>(user);
    self->handler_(std::span<const std::uint8_t>(bytes, header->caplen));
}

}  // namespace castline::dhcp
