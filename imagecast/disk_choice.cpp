#include "imagecast/disk_choice.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "common/duration.hpp"
#include "imager/errors.hpp"

namespace castline::imagecast {
namespace {

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\0'))
        text.pop_back();
    while (!text.empty() && text.front() == ' ') text.erase(text.begin());
    return text;
}

std::string first_line(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return trimmed(line);
}

// virtio-blk has `serial`, NVMe `device/serial`; SCSI and SATA disks only the unit serial
// number VPD page (0x80): a 4-byte header, then the serial in ASCII.
std::string disk_serial(const std::filesystem::path& disk) {
    for (const char* file : {"serial", "device/serial"})
        if (auto s = first_line(disk / file); !s.empty()) return s;
    std::ifstream in(disk / "device" / "vpd_pg80", std::ios::binary);
    const std::string page{std::istreambuf_iterator<char>(in), {}};
    return page.size() > 4 ? trimmed(page.substr(4)) : "";
}

bool starts_with_any(const std::string& name, std::initializer_list<const char*> prefixes) {
    for (const char* p : prefixes)
        if (name.rfind(p, 0) == 0) return true;
    return false;
}

std::string mib(std::uint64_t bytes) {
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
}

std::string describe(const Disk& d) {
    return d.device.string() + " (" + mib(d.size) + (d.model.empty() ? "" : ", " + d.model) +
           (d.serial.empty() ? "" : ", serial " + d.serial) + ")";
}

bool matches(const std::string& pattern, const std::string& text) {
    return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

// Why the rule leaves this disk out, or empty when it is a candidate.
std::string left_out(const Disk& d, const DiskRule& rule) {
    if (d.mounted) return "mounted (the boot medium?)";
    if (d.read_only) return "read-only";
    if (rule.needed_bytes && d.size < rule.needed_bytes)
        return "smaller than the image needs (" + size_text(rule.needed_bytes) + ")";
    if (rule.only_fixed()) return d.removable ? "removable" : "";
    if (!rule.path.empty() && d.device != rule.path) return "not " + rule.path;
    if (!rule.model.empty() && !matches(rule.model, d.model))
        return "model does not match '" + rule.model + "'";
    if (!rule.serial.empty() && !matches(rule.serial, d.serial))
        return "serial does not match '" + rule.serial + "'";
    if (d.size < rule.min_size) return "smaller than min_size " + mib(rule.min_size);
    if (rule.max_size && d.size > rule.max_size)
        return "larger than max_size " + mib(rule.max_size);
    return "";
}

}  // namespace

std::string DiskRule::describe() const {
    if (only_fixed()) return "'only-fixed' (the only non-removable, writable, unmounted disk)";
    std::string out;
    const auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
    if (!path.empty()) add("path " + path);
    if (!model.empty()) add("model '" + model + "'");
    if (!serial.empty()) add("serial '" + serial + "'");
    if (min_size) add("at least " + mib(min_size));
    if (max_size) add("at most " + mib(max_size));
    return "{" + out + "}";
}

std::vector<Disk> list_disks(const std::filesystem::path& sysfs, bool allow_loop,
                             const std::filesystem::path& mounts) {
    std::string mounted_sources;
    {
        std::ifstream in(mounts);
        std::string line;
        while (std::getline(in, line)) mounted_sources += line.substr(0, line.find(' ')) + "\n";
    }
    std::vector<Disk> disks;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(sysfs, ec)) {
        const auto name = entry.path().filename().string();
        if (starts_with_any(name, {"ram", "zram", "sr", "dm-", "md", "fd"})) continue;
        if (name.rfind("loop", 0) == 0 && !allow_loop) continue;
        Disk d;
        d.name = name;
        d.device = "/dev/" + name;
        d.size = std::stoull("0" + first_line(entry.path() / "size")) * 512;
        if (d.size == 0) continue;  // an empty loop device or a drive without a medium
        d.removable = first_line(entry.path() / "removable") == "1";
        d.read_only = first_line(entry.path() / "ro") == "1";
        d.model = first_line(entry.path() / "device" / "model");
        d.serial = disk_serial(entry.path());
        // The disk or one of its partitions (/dev/sda1, /dev/nvme0n1p1) is mounted.
        d.mounted = mounted_sources.find(d.device.string()) != std::string::npos;
        disks.push_back(d);
    }
    std::sort(disks.begin(), disks.end(),
              [](const Disk& a, const Disk& b) { return a.name < b.name; });
    return disks;
}

Disk choose_disk(const std::vector<Disk>& disks, const DiskRule& rule) {
    std::vector<const Disk*> candidates;
    std::string report;
    for (const auto& d : disks) {
        const auto why = left_out(d, rule);
        if (why.empty()) candidates.push_back(&d);
        report += "\n  " + describe(d) + (why.empty() ? ": candidate" : ": left out, " + why);
    }
    if (candidates.size() == 1) return *candidates.front();
    throw imager::ImagerError(imager::ExitCode::no_target_disk,
                              std::string(candidates.empty() ? "no disk" : "more than one disk") +
                                  " fits the rule " + rule.describe() + "; not guessing:" +
                                  (disks.empty() ? std::string("\n  (no disks found)") : report));
}

}  // namespace castline::imagecast
