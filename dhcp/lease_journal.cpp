#include "dhcp/lease_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <unordered_map>

#include "common/durable_file.hpp"

namespace castline::dhcp {

namespace {
bool write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}
std::string_view next_word(std::string_view& rest) {
    const auto end = rest.find(' ');
    const auto word = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    return word;
}
}  // namespace

std::string format_lease_record(const Lease& lease) {
    return "L1 " + lease.address.to_string() + ' ' + lease.mac.to_string() + ' ' +
           lease_state_name(lease.state) + ' ' + std::to_string(lease.expires) + '\n';
}

std::optional<Lease> parse_lease_record(std::string_view line) {
    std::string_view rest = line;
    if (next_word(rest) != "L1") return std::nullopt;
    const auto address = Ipv4Address::parse(next_word(rest));
    const auto mac = MacAddress::parse(next_word(rest));
    const auto state = parse_lease_state(next_word(rest));
    const auto expires_text = next_word(rest);
    if (!address || !mac || !state || !rest.empty() || expires_text.empty()) return std::nullopt;
    std::int64_t expires = 0;
    const auto [end, error] =
        std::from_chars(expires_text.data(), expires_text.data() + expires_text.size(), expires);
    if (error != std::errc{} || end != expires_text.data() + expires_text.size())
        return std::nullopt;
    return Lease{*address, *mac, *state, expires};
}

LeaseJournal::~LeaseJournal() {
    if (fd_ >= 0) {
        ::fdatasync(fd_);
        ::close(fd_);
    }
}

LeaseJournal::Loaded LeaseJournal::load() const {
    Loaded loaded;
    std::ifstream in(file_, std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), {}};
    std::unordered_map<std::uint32_t, std::size_t> index;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto end = text.find('\n', at);
        if (end == std::string::npos) {
            ++loaded.bad_lines;  // torn last write: the change never reached its client either
            break;
        }
        const std::string_view line(text.data() + at, end - at);
        at = end + 1;
        if (line.empty()) continue;
        ++loaded.records;
        const auto lease = parse_lease_record(line);
        if (!lease) {
            ++loaded.bad_lines;
            continue;
        }
        const auto [it, inserted] = index.try_emplace(lease->address.value, loaded.leases.size());
        if (inserted)
            loaded.leases.push_back(*lease);
        else
            loaded.leases[it->second] = *lease;
    }
    return loaded;
}

bool LeaseJournal::compact(const std::vector<Lease>& leases) {
    std::string text;
    for (const auto& lease : leases)
        if (lease.state != LeaseState::offered) text += format_lease_record(lease);
    if (write_file_durably(file_, text)) return false;
    if (fd_ >= 0) ::close(fd_);
    fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    appended_ = 0;
    dirty_ = false;
    broken_ = fd_ < 0;
    return fd_ >= 0;
}

bool LeaseJournal::append(const Lease& lease) {
    if (lease.state == LeaseState::offered) return true;
    if (fd_ < 0) return false;
    if (!write_all(fd_, format_lease_record(lease))) {
        broken_ = true;
        return false;
    }
    ++appended_;
    dirty_ = true;
    return true;
}

bool LeaseJournal::sync() {
    if (!dirty_ || fd_ < 0) return true;
    dirty_ = false;
    return ::fdatasync(fd_) == 0;
}

}  // namespace castline::dhcp
