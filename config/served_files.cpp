#include "config/served_files.hpp"

#include <algorithm>
#include <system_error>

#include "config/validators.hpp"

namespace castline::config {
namespace {
bool is_url(const std::string& text) {
    return text.starts_with("http://") || text.starts_with("https://");
}

class Collector {
  public:
    explicit Collector(std::vector<ServedFile>& out) : out_(out) {}
    void add(const std::string& file, std::string key_path, const SourceLocation& where) {
        if (file.empty() || is_url(file)) return;
        if (std::any_of(out_.begin(), out_.end(),
                        [&](const ServedFile& seen) { return seen.file == file; }))
            return;
        out_.push_back({file, std::move(key_path), where});
    }
    void add_loaders(const LoaderSet& loaders, const std::string& path, const SourceLocation& where,
                     bool tftp, bool http) {
        if (tftp) {
            add(loaders.bios, path + ".bios", where);
            add(loaders.efi_x64, path + ".efi_x64", where);
            add(loaders.efi_arm64, path + ".efi_arm64", where);
        }
        // With no efi_x64_http, UEFI HTTP boot clients are sent http://SERVER/ipxe.efi.
        if (http)
            add(loaders.efi_x64_http.empty() ? "ipxe.efi" : loaders.efi_x64_http,
                path + ".efi_x64_http", where);
    }

  private:
    std::vector<ServedFile>& out_;
};
}  // namespace

std::vector<ServedFile> served_files(const SiteConfig& c) {
    std::vector<ServedFile> out;
    const bool tftp = c.boot.tftp_port != 0;
    const bool http = c.boot.http_port != 0;
    if (!tftp && !http) return out;
    Collector files(out);
    const auto& fields = c.boot.fields;
    const auto boot_at = fields.find("root", c.server.location);
    files.add(c.boot.kernel, "boot.kernel", fields.find("kernel", boot_at));
    files.add(c.boot.initramfs, "boot.initramfs", fields.find("initramfs", boot_at));
    files.add_loaders(c.boot.loaders, "boot.loaders", fields.find("loaders", boot_at), tftp, http);
    for (const auto& [name, group] : c.groups)
        if (group.loaders)
            files.add_loaders(*group.loaders, group.key_path + ".loaders",
                              group.fields.find("loaders", group.location), tftp, http);
    for (const auto& host : c.hosts)
        if (host.loaders)
            files.add_loaders(*host.loaders, host.key_path + ".loaders",
                              host.fields.find("loaders", host.location), tftp, http);
    return out;
}

std::vector<ServedFile> missing_served_files(const SiteConfig& c) {
    std::vector<ServedFile> missing;
    for (auto& served : served_files(c)) {
        std::error_code error;
        if (!std::filesystem::is_regular_file(c.boot.root / served.file, error))
            missing.push_back(std::move(served));
    }
    return missing;
}

namespace detail {
void check_served_files(const SiteConfig& c, Diagnostics& out) {
    std::error_code error;
    // Without the folder, check_files' one warning about boot.root says it all.
    if (!std::filesystem::is_directory(c.boot.root, error)) return;
    for (const auto& missing : missing_served_files(c)) {
        const bool imaging =
            missing.key_path == "boot.kernel" || missing.key_path == "boot.initramfs";
        add_warning(out, missing.location, missing.key_path,
                    quote(missing.file) + " is not a file in boot.root (" + c.boot.root.string() +
                        "); clients sent to it get \"file not found\", " +
                        (imaging ? "expected the imaging kernel and initramfs (castline "
                                   "bootmedia build --output BOOT_ROOT)"
                                 : "expected the iPXE loader there (e.g. from the ipxe "
                                   "package) or a loaders entry naming the file you have"));
    }
}
}  // namespace detail

}  // namespace castline::config
