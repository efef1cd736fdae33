#include "imager/image_info.hpp"

#include <cstdio>
#include <ctime>
#include <sstream>

#include "common/duration.hpp"
#include "imager/restore_plan.hpp"

namespace castline::imager {
namespace {
std::string utc(std::int64_t seconds) {
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    if (!gmtime_r(&t, &tm)) return std::to_string(seconds);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}
std::string q(const std::string& s) {
    return "\"" + json_escape(s) + "\"";
}

std::uint64_t stored_bytes(const Manifest& m) {
    std::uint64_t total = 0;
    for (const auto& c : m.chunks) total += c.stored_length;
    return total;
}

// What capture read: the chunks' plaintext and the all-zero blocks it left out of them.
std::uint64_t read_bytes(const Manifest& m) {
    std::uint64_t total = m.used_bytes();
    for (const auto& z : m.zero_extents) total += z.length;
    return total;
}
}  // namespace

std::string json_escape(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out;
}

std::string format_info_text(const ImageHeader& h, const Manifest* m, std::uint64_t parts) {
    std::ostringstream out;
    out << "format version:  " << h.major << "." << h.minor << "\n"
        << "image size:      " << size_text(h.image_length) << " in " << parts << " file(s)"
        << (h.split_size ? " of at most " + size_text(h.split_size) : "") << "\n"
        << "encrypted:       "
        << (h.encrypted ? "yes (AES-256-GCM, PBKDF2-SHA256 " + std::to_string(h.kdf_iterations) +
                              " iterations)"
                        : "no")
        << "\n";
    if (!m) {
        out << "manifest:        encrypted; give --password-file to show it\n";
        return out.str();
    }
    const auto need = minimum_target_size(*m);
    out << "created:         " << utc(m->created) << " by " << m->tool_version << "\n"
        << "description:     " << m->description << "\n"
        << "disk size:       " << size_text(m->disk_size) << ", " << m->sector_size
        << "-byte sectors\n"
        << "smallest target: " << size_text(need.bytes) << ": " << need.reason << "\n"
        << "partition table: "
        << (m->table == TableKind::none ? std::string("no partition table")
                                        : std::string(table_kind_name(m->table)) + " (" +
                                              std::to_string(m->table_regions.size()) + " regions)")
        << "\n"
        << "read:            " << size_text(read_bytes(*m)) << " (used blocks, whole partitions "
        << "and boot area, all-zero blocks included)\n"
        << "used data:       " << size_text(m->used_bytes()) << " in " << m->chunks.size()
        << " chunks (read without the all-zero blocks)\n"
        << "stored:          " << size_text(stored_bytes(*m)) << " (used data at zstd level "
        << m->compression_level << (h.encrypted ? ", encrypted" : "") << ")\n";
    for (const auto& p : m->partitions) {
        std::uint64_t allocated = 0;
        for (const auto& e : p.used) allocated += e.length;
        // Partition 0 is a file system on the whole disk, with no table around it.
        out << (p.number == 0 ? std::string("whole disk:      ")
                              : "partition " + std::to_string(p.number) + ":     ")
            << "offset " << p.offset << ", " << size_text(p.length);
        if (!p.type.empty()) out << ", type " << p.type;
        if (!p.name.empty()) out << ", name '" << p.name << "'";
        out << ", " << file_system_name(p.file_system);
        if (!p.label.empty()) out << " label '" << p.label << "'";
        if (!p.uuid.empty()) out << " uuid " << p.uuid;
        out << (p.whole ? ", stored whole" : ", " + size_text(allocated) + " allocated") << "\n";
    }
    for (const auto& w : m->warnings) out << "warning:         " << w << "\n";
    return out.str();
}

std::string format_info_json(const ImageHeader& h, const Manifest* m, std::uint64_t parts) {
    std::ostringstream out;
    out << "{\"format_version\":\"" << h.major << "." << h.minor << "\""
        << ",\"image_bytes\":" << h.image_length << ",\"parts\":" << parts
        << ",\"split_size\":" << h.split_size
        << ",\"encrypted\":" << (h.encrypted ? "true" : "false");
    if (h.encrypted) out << ",\"kdf\":\"pbkdf2-sha256\",\"kdf_iterations\":" << h.kdf_iterations;
    if (!m) {
        out << ",\"manifest\":null}\n";
        return out.str();
    }
    out << ",\"manifest\":{\"created\":" << q(utc(m->created))
        << ",\"tool_version\":" << q(m->tool_version) << ",\"description\":" << q(m->description)
        << ",\"disk_size\":" << m->disk_size << ",\"sector_size\":" << m->sector_size
        << ",\"partition_table\":" << q(table_kind_name(m->table))
        << ",\"compression_level\":" << m->compression_level
        << ",\"chunker\":{\"min\":" << m->chunker.min_size
        << ",\"average\":" << m->chunker.average_size << ",\"max\":" << m->chunker.max_size << "}"
        << ",\"min_target_bytes\":" << minimum_target_size(*m).bytes
        << ",\"read_bytes\":" << read_bytes(*m) << ",\"used_bytes\":" << m->used_bytes()
        << ",\"stored_bytes\":" << stored_bytes(*m) << ",\"chunk_count\":" << m->chunks.size()
        << ",\"table_regions\":[";
    for (std::size_t i = 0; i < m->table_regions.size(); ++i)
        out << (i ? "," : "") << "{\"offset\":" << m->table_regions[i].offset
            << ",\"length\":" << m->table_regions[i].bytes.size() << "}";
    out << "],\"partitions\":[";
    for (std::size_t i = 0; i < m->partitions.size(); ++i) {
        const auto& p = m->partitions[i];
        out << (i ? "," : "") << "{\"number\":" << p.number << ",\"offset\":" << p.offset
            << ",\"length\":" << p.length << ",\"type\":" << q(p.type) << ",\"name\":" << q(p.name)
            << ",\"file_system\":" << q(file_system_name(p.file_system))
            << ",\"label\":" << q(p.label) << ",\"uuid\":" << q(p.uuid)
            << ",\"whole\":" << (p.whole ? "true" : "false") << ",\"used\":[";
        for (std::size_t k = 0; k < p.used.size(); ++k)
            out << (k ? "," : "") << "[" << p.used[k].offset << "," << p.used[k].length << "]";
        out << "]}";
    }
    out << "],\"warnings\":[";
    for (std::size_t i = 0; i < m->warnings.size(); ++i) out << (i ? "," : "") << q(m->warnings[i]);
    out << "]}}\n";
    return out.str();
}

}  // namespace castline::imager
