#include "imager/postconfig.hpp"

#include <algorithm>
#include <cctype>

#include "imager/computer_name.hpp"
#include "imager/disk_layout.hpp"
#include "imager/errors.hpp"
#include "imager/partition_files.hpp"

namespace castline::imager {
namespace {

bool same_text_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool writable_kind(const Partition& p) {
    return p.file_system == FileSystemKind::ntfs || p.file_system == FileSystemKind::ext ||
           p.file_system == FileSystemKind::fat;
}

std::string numbers_of(const DiskLayout& layout) {
    std::string out;
    for (const auto& p : layout.partitions)
        out += (out.empty() ? "" : ", ") + std::to_string(p.number);
    return out.empty() ? "none" : out;
}

const Partition& find_partition(const std::filesystem::path& disk, const DiskLayout& layout,
                                const std::string& wanted) {
    if (!wanted.empty() &&
        std::all_of(wanted.begin(), wanted.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        for (const auto& p : layout.partitions)
            if (std::to_string(p.number) == wanted) return p;
        throw postconfig_failed("partition " + wanted + " does not exist (the disk has " +
                                numbers_of(layout) + ")");
    }
    if (wanted.empty()) {
        std::vector<const Partition*> ntfs;
        for (const auto& p : layout.partitions)
            if (p.file_system == FileSystemKind::ntfs) ntfs.push_back(&p);
        for (const Partition* p : ntfs)
            if (open_partition_files(disk, *p, false)->exists(split_partition_path("Windows")))
                return *p;
        if (ntfs.size() == 1) return *ntfs.front();
        throw postconfig_failed(
            ntfs.empty() ? "no NTFS partition on the disk to hold Windows; name one with partition"
                         : std::to_string(ntfs.size()) +
                               " NTFS partitions and none has a Windows folder; name one with "
                               "partition");
    }
    const Partition* found = nullptr;
    std::string labels;
    for (const auto& p : layout.partitions) {
        if (!writable_kind(p)) continue;
        std::string label;
        try {
            label = open_partition_files(disk, p, false)->label();
        } catch (const ImagerError&) {
            continue;  // a partition that cannot be opened has no label to match
        }
        labels += (labels.empty() ? "\"" : ", \"") + label + "\"";
        if (!same_text_ignoring_case(label, wanted)) continue;
        if (found)
            throw postconfig_failed("label \"" + wanted + "\" names partitions " +
                                    std::to_string(found->number) + " and " +
                                    std::to_string(p.number));
        found = &p;
    }
    if (!found)
        throw postconfig_failed("no partition has the label \"" + wanted +
                                "\" (labels: " + (labels.empty() ? "none" : labels) + ")");
    return *found;
}

struct PlannedWrite {
    PartitionPath path;
    std::string content;
    std::string change;  // the log line
};

// Reads a file the settings edit; a missing one is an error, not a file to invent.
std::string existing_file(PartitionFiles& files, const std::string& where,
                          const PartitionPath& path, const char* what) {
    auto text = files.read_file(path);
    if (!text)
        throw postconfig_failed(where + ": " + path.text() + " does not exist; " + what +
                                " settings need it");
    return *text;
}

}  // namespace

void apply_postconfig(const std::filesystem::path& disk, const PostConfigSpec& spec,
                      const castline::MacAddress& mac, const PostConfigLog& log) {
    std::vector<SysprepSetting> sysprep = spec.sysprep;
    if (!spec.sysprep_update.empty()) {
        const auto for_mac = sysprep_settings_for_mac(spec.sysprep_update, mac);
        sysprep.insert(sysprep.end(), for_mac.begin(), for_mac.end());
    }
    if (sysprep.empty() && spec.unattend.empty() && spec.files.empty()) return;

    DiskLayout layout;
    try {
        layout = read_disk_layout(disk, {.raw = true, .fallback_to_whole = false});
    } catch (const LayoutError& e) {
        throw postconfig_failed(std::string("disk ") + disk.string() + ": " + e.what());
    }
    const Partition& partition = find_partition(disk, layout, spec.partition);
    const std::string where = partition_description(partition);
    std::vector<PlannedWrite> plan;
    {
        const auto files = open_partition_files(disk, partition, false);
        const auto in_file = [&](const PartitionPath& path, auto&& edit) {
            try {
                edit();
            } catch (const ImagerError& e) {
                throw postconfig_failed(where + ": " + path.text() + ": " + e.what());
            }
        };
        if (!sysprep.empty()) {
            const auto path = split_partition_path(spec.sysprep_path);
            std::string text = existing_file(*files, where, path, "sysprep");
            for (const auto& s : sysprep)
                in_file(path, [&] {
                    if (same_text_ignoring_case(s.section, "UserData") &&
                        same_text_ignoring_case(s.key, "ComputerName"))
                        check_computer_name(s.value);
                    text = set_sysprep_value(text, s);
                });
            std::string change = where + ": " + path.text() + ": set";
            for (const auto& s : sysprep) change += " [" + s.section + "] " + s.key;
            plan.push_back({path, std::move(text), std::move(change)});
        }
        if (!spec.unattend.empty()) {
            const auto path = split_partition_path(spec.unattend_path);
            std::string text = existing_file(*files, where, path, "unattend");
            in_file(path, [&] {
                for (const auto& s : spec.unattend)
                    if (parse_unattend_path(s.path).elements.back() == "ComputerName")
                        check_computer_name(s.value);
                text = set_unattend_values(text, spec.unattend);
            });
            std::string change = where + ": " + path.text() + ": set";
            for (const auto& s : spec.unattend) change += " " + s.path;
            plan.push_back({path, std::move(text), std::move(change)});
        }
        for (const auto& drop : spec.files) {
            const auto path = split_partition_path(drop.target);
            plan.push_back({path, drop.content,
                            where + ": wrote " + path.text() + " (" +
                                std::to_string(drop.content.size()) + " bytes)"});
        }
    }  // closed before it is opened for writing: one writer at a time

    const auto files = open_partition_files(disk, partition, true);
    for (const auto& w : plan) {
        files->write_file(w.path, w.content);
        if (log) log(w.change);
    }
}

}  // namespace castline::imager
