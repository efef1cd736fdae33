#include "daemon/wake_sender.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "common/log.hpp"

namespace castline::daemon {
namespace {

struct InterfaceFacts {
    bool exists = false;
    std::optional<MacAddress> mac;
    std::optional<Ipv4Address> broadcast;
};

InterfaceFacts inspect(const std::string& name) {
    InterfaceFacts facts;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return facts;
    for (auto* a = list; a; a = a->ifa_next) {
        if (!a->ifa_name || name != a->ifa_name || !a->ifa_addr) continue;
        facts.exists = true;
        if (a->ifa_addr->sa_family == AF_PACKET) {
            const auto* ll = reinterpret_cast<const sockaddr_ll*>(a->ifa_addr);
            if (ll->sll_halen == 6) {
                MacAddress mac;
                std::memcpy(mac.bytes.data(), ll->sll_addr, 6);
                facts.mac = mac;
            }
        } else if (a->ifa_addr->sa_family == AF_INET && !facts.broadcast) {
            const auto* addr = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
            const auto* mask = reinterpret_cast<const sockaddr_in*>(a->ifa_netmask);
            const std::uint32_t host = ntohl(addr->sin_addr.s_addr);
            const std::uint32_t netmask = mask ? ntohl(mask->sin_addr.s_addr) : 0xffffffffu;
            facts.broadcast = Ipv4Address{(host & netmask) | ~netmask};
        }
    }
    freeifaddrs(list);
    return facts;
}

}  // namespace

WakeSender::WakeSender(WakeOptions options) : options_(std::move(options)) {
    if (options_.interface.empty())
        throw WakeError("no interface given to send wake-up packets on");
    const auto facts = inspect(options_.interface);
    if (!facts.exists) throw WakeError("interface '" + options_.interface + "' does not exist");
    interface_mac_ = facts.mac.value_or(MacAddress{});
    if (facts.broadcast) broadcast_ = *facts.broadcast;
    if (options_.udp) {
        udp_socket_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        const int on = 1;
        if (udp_socket_ < 0 ||
            ::setsockopt(udp_socket_, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) != 0 ||
            ::setsockopt(udp_socket_, SOL_SOCKET, SO_BINDTODEVICE, options_.interface.c_str(),
                         static_cast<socklen_t>(options_.interface.size())) != 0) {
            const std::string why = std::strerror(errno);
            if (udp_socket_ >= 0) ::close(udp_socket_);
            throw WakeError("cannot send UDP broadcasts on '" + options_.interface + "': " + why);
        }
    }
    if (options_.raw) {
        char error[PCAP_ERRBUF_SIZE] = {};
        pcap_ = pcap_open_live(options_.interface.c_str(), 64, 0, 100, error);
        if (!pcap_) {
            if (udp_socket_ >= 0) ::close(udp_socket_);
            throw WakeError("cannot send raw frames on '" + options_.interface + "': " + error);
        }
    }
}

WakeSender::~WakeSender() {
    if (udp_socket_ >= 0) ::close(udp_socket_);
    if (pcap_) pcap_close(pcap_);
}

void WakeSender::wake(const MacAddress& target, std::string_view host) {
    const auto payload = pxe::magic_packet(target, options_.password);
    const auto frame = pxe::magic_frame(interface_mac_, target, options_.password);
    int sent = 0;
    std::string last_error;
    for (int copy = 0; copy < std::max(1, options_.repeat); ++copy) {
        if (copy > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (udp_socket_ >= 0) {
            for (const int port : {9, 7}) {
                sockaddr_in to{};
                to.sin_family = AF_INET;
                to.sin_port = htons(static_cast<std::uint16_t>(port));
                to.sin_addr.s_addr = htonl(broadcast_.value);
                if (::sendto(udp_socket_, payload.data(), payload.size(), 0,
                             reinterpret_cast<const sockaddr*>(&to), sizeof to) >= 0)
                    ++sent;
                else
                    last_error = std::strerror(errno);
            }
        }
        if (pcap_) {
            if (pcap_inject(pcap_, frame.data(), frame.size()) >= 0)
                ++sent;
            else
                last_error = pcap_geterr(pcap_);
        }
    }
    if (sent == 0)
        throw WakeError("no wake-up packet for " + target.to_string() + " left '" +
                        options_.interface + "': " + last_error);
    log::info("wake_sent", {{"mac", target.to_string()},
                            {"host", host},
                            {"interface", options_.interface},
                            {"broadcast", broadcast_.to_string()},
                            {"packets", sent}});
}

}  // namespace castline::daemon
