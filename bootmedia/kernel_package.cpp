#include "bootmedia/kernel_package.hpp"

#include <vector>

#include "bootmedia/error.hpp"

namespace castline::bootmedia {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// The value of FIELD in a control stanza, continuation lines included.
std::string field_value(std::string_view stanza, std::string_view field) {
    std::string value;
    bool in_field = false;
    std::size_t start = 0;
    while (start < stanza.size()) {
        std::size_t end = stanza.find('\n', start);
        if (end == std::string_view::npos) end = stanza.size();
        const std::string_view line = stanza.substr(start, end - start);
        start = end + 1;
        if (line.empty() || trim(line).empty()) {
            if (in_field) break;  // end of the first stanza
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            if (in_field) value += " " + std::string(trim(line));
            continue;
        }
        if (in_field) break;
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos && line.substr(0, colon) == field) {
            in_field = true;
            value = std::string(trim(line.substr(colon + 1)));
        }
    }
    return value;
}

}  // namespace

std::string PackageVersion::deb_file_name(std::string_view architecture) const {
    std::string escaped;
    for (char c : version) escaped += c == ':' ? std::string("%3a") : std::string(1, c);
    return name + "_" + escaped + "_" + std::string(architecture) + ".deb";
}

PackageVersion kernel_package_from_control(std::string_view stanza) {
    const std::string depends = field_value(stanza, "Depends");
    std::vector<PackageVersion> kernels;
    std::size_t start = 0;
    while (start <= depends.size()) {
        std::size_t end = depends.find(',', start);
        if (end == std::string::npos) end = depends.size();
        const std::string_view item = trim(std::string_view(depends).substr(start, end - start));
        start = end + 1;
        const std::size_t space = item.find_first_of(" (");
        const std::string_view name = item.substr(0, space);
        if (!name.starts_with("linux-image-") || item.find('|') != std::string_view::npos) continue;
        const std::size_t eq = item.find("(=");
        const std::size_t close = item.find(')');
        if (eq == std::string_view::npos || close == std::string_view::npos || close < eq)
            throw BootmediaError("linux-image-amd64 depends on " + std::string(name) +
                                 " without an exact version");
        kernels.push_back(
            {std::string(name), std::string(trim(item.substr(eq + 2, close - eq - 2)))});
    }
    if (kernels.size() != 1)
        throw BootmediaError(
            "expected linux-image-amd64 to depend on exactly one linux-image-* "
            "package, its Depends is '" +
            depends + "'");
    return kernels.front();
}

}  // namespace castline::bootmedia
