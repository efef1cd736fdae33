#include "imagecast/disk_choice.hpp"

#include <fstream>

#include "imager/errors.hpp"

namespace castline::imagecast {
namespace {

std::string first_line(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\n')) line.pop_back();
    return line;
}

bool starts_with_any(const std::string& name, std::initializer_list<const char*> prefixes) {
    for (const char* p : prefixes)
        if (name.rfind(p, 0) == 0) return true;
    return false;
}

std::string describe(const Disk& d) {
    return d.device.string() + " (" + std::to_string(d.size / (1024 * 1024)) + " MiB" +
           (d.model.empty() ? "" : ", " + d.model) + ")";
}

}  // namespace

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
        // The disk or one of its partitions (/dev/sda1, /dev/nvme0n1p1) is mounted.
        d.mounted = mounted_sources.find(d.device.string()) != std::string::npos;
        disks.push_back(d);
    }
    return disks;
}

Disk choose_disk(const std::vector<Disk>& disks, const std::string& rule) {
    if (rule != "only-fixed")
        throw imager::ImagerError(imager::ExitCode::no_target_disk,
                                  "disk rule '" + rule + "' is not known to this imager");
    std::vector<const Disk*> candidates;
    std::string report;
    for (const auto& d : disks) {
        std::string why;
        if (d.removable)
            why = "removable";
        else if (d.read_only)
            why = "read-only";
        else if (d.mounted)
            why = "mounted (the boot medium?)";
        if (why.empty()) candidates.push_back(&d);
        report += "\n  " + describe(d) + (why.empty() ? ": candidate" : ": left out, " + why);
    }
    if (candidates.size() == 1) return *candidates.front();
    throw imager::ImagerError(
        imager::ExitCode::no_target_disk,
        std::string(candidates.empty() ? "no disk" : "more than one disk") +
            " fits the rule 'only-fixed' (the only non-removable, writable, unmounted disk); "
            "not guessing:" +
            (disks.empty() ? std::string("\n  (no disks found)") : report));
}

}  // namespace castline::imagecast
