#include "tftp/virtual_files.hpp"

namespace castline::tftp {

void VirtualFiles::add(const std::string& name, VirtualFileProvider provider) {
    if (!name.empty() && name.back() == '/')
        prefixes_[name] = std::move(provider);
    else
        exact_[name] = std::move(provider);
}

void VirtualFiles::remove(const std::string& name) {
    exact_.erase(name);
    prefixes_.erase(name);
}

std::optional<std::string> VirtualFiles::find(const std::string& path, Ipv4Address client) const {
    const VirtualFileProvider* provider = nullptr;
    if (auto it = exact_.find(path); it != exact_.end()) {
        provider = &it->second;
    } else {
        std::size_t best = 0;
        for (const auto& [prefix, p] : prefixes_) {
            if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
                prefix.size() > best) {
                best = prefix.size();
                provider = &p;
            }
        }
    }
    if (!provider) return std::nullopt;
    VirtualFileRequest request{path, client, std::nullopt};
    if (mac_lookup_) request.mac = mac_lookup_(client);
    return (*provider)(request);
}

}  // namespace castline::tftp
