#pragma once
#include <string>
#include <string_view>

namespace castline::bootmedia {

// A Debian binary package at one exact version.
struct PackageVersion {
    std::string name;
    std::string version;

    // The file name apt-get download gives it: NAME_VERSION_ARCH.deb, with an epoch's ':' as
    // "%3a".
    std::string deb_file_name(std::string_view architecture) const;
};

// The kernel image package the metapackage `linux-image-amd64` stands for, from its control
// stanza (`apt-cache show --no-all-versions linux-image-amd64`): its Depends field names
// exactly one `linux-image-VERSION-amd64 (= X)`. Throws BootmediaError when there is none.
PackageVersion kernel_package_from_control(std::string_view stanza);

}  // namespace castline::bootmedia
