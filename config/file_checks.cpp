// Files a config names. Images are produced after the config is written (castline-imager capture),
// so a missing image is a warning; files the config itself needs to be complete are errors.
#include <system_error>

#include "config/validators.hpp"

namespace castline::config::detail {
namespace {
enum class FileState { regular, folder, other, missing };

FileState state_of(const std::filesystem::path& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status)) return FileState::missing;
    if (std::filesystem::is_regular_file(status)) return FileState::regular;
    if (std::filesystem::is_directory(status)) return FileState::folder;
    return FileState::other;
}

// True when `path` is `root` or lies below it, once the links of what exists are resolved.
bool served_from(const std::filesystem::path& path, const std::filesystem::path& root) {
    std::error_code error;
    const auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(path), error);
    if (error) return false;
    const auto r = std::filesystem::weakly_canonical(std::filesystem::absolute(root), error);
    if (error) return false;
    auto pi = p.begin();
    for (auto ri = r.begin(); ri != r.end(); ++ri, ++pi) {
        if (ri->empty()) continue;  // the trailing "" of a root written with a final slash
        if (pi == p.end() || *pi != *ri) return false;
    }
    return true;
}

// TFTP and HTTP hand any file under boot.root to whoever asks on the boot LAN.
void refuse_if_served(Diagnostics& out, const SiteConfig& c, const std::filesystem::path& path,
                      const SourceLocation& where, const std::string& key_path,
                      std::string_view what) {
    if (path.empty() || !served_from(path, c.boot.root)) return;
    add_error(out, where, key_path,
              quote(path.string()) + " is inside boot.root " + quote(c.boot.root.string()) +
                  ", which TFTP and HTTP serve to anyone on the boot LAN; expected " +
                  std::string(what) + " outside it");
}

void expect_file(Diagnostics& out, const std::filesystem::path& path, const SourceLocation& where,
                 const std::string& key_path, std::string_view what) {
    switch (state_of(path)) {
        case FileState::regular:
            return;
        case FileState::missing:
            add_error(out, where, key_path,
                      quote(path.string()) + " does not exist, expected " + std::string(what));
            return;
        default:
            add_error(
                out, where, key_path,
                quote(path.string()) + " is not a regular file, expected " + std::string(what));
    }
}
}  // namespace

void check_files(const SiteConfig& c, Diagnostics& out) {
    const auto imaged_from = images_to_image_from(c);
    for (const auto& [name, image] : c.images) {
        const auto where = image.fields.find("path", image.location);
        switch (state_of(image.path)) {
            case FileState::regular:
                break;
            case FileState::missing:
                // An image hosts are to be imaged from must be there: a typo would fail every job.
                if (const auto user = imaged_from.find(name); user != imaged_from.end())
                    add_error(out, where, image.key_path + ".path",
                              quote(image.path.string()) + " does not exist but " + user->second +
                                  " images from it, expected the image file (castline-imager "
                                  "capture --output PATH)");
                else
                    add_warning(out, where, image.key_path + ".path",
                                quote(image.path.string()) +
                                    " does not exist yet; sessions that send this image fail "
                                    "until it is captured or copied there");
                break;
            default:
                add_error(out, where, image.key_path + ".path",
                          quote(image.path.string()) +
                              " is not a regular file, expected an "
                              "image file");
        }
        if (!image.password_file.empty())
            expect_file(out, image.password_file,
                        image.fields.find("password_file", image.location),
                        image.key_path + ".password_file", "a file holding the image password");
    }
    for (const auto& [name, session] : c.sessions)
        if (!session.password_file.empty())
            expect_file(out, session.password_file,
                        session.fields.find("password_file", session.location),
                        session.key_path + ".password_file", "a file holding the session password");
    for (const auto& [name, pc] : c.postconfig) {
        for (const auto& drop : pc.files)
            expect_file(out, drop.source, drop.location, drop.key_path + ".source",
                        "the file to copy (relative to the config file)");
        if (!pc.sysprep_update.empty())
            expect_file(out, pc.sysprep_update, pc.fields.find("sysprep_update", pc.location),
                        pc.key_path + ".sysprep_update",
                        "a per-MAC sysprep update file (relative to the config file)");
    }
    refuse_if_served(out, c, c.server.data_dir, c.server.fields.find("data_dir", c.server.location),
                     "server.data_dir", "the state folder (job tokens, leases)");
    for (const auto& [name, image] : c.images)
        refuse_if_served(out, c, image.password_file,
                         image.fields.find("password_file", image.location),
                         image.key_path + ".password_file", "the image password file");
    for (const auto& [name, session] : c.sessions)
        refuse_if_served(out, c, session.password_file,
                         session.fields.find("password_file", session.location),
                         session.key_path + ".password_file", "the session password file");
    if (state_of(c.boot.root) != FileState::folder)
        add_warning(out, c.boot.fields.find("root", c.server.location), "boot.root",
                    quote(c.boot.root.string()) +
                        " is not a folder yet; TFTP and HTTP serve nothing until it is made");
}

}  // namespace castline::config::detail
