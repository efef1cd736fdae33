#pragma once
// sysprep.inf as Windows reads it (GetPrivateProfileString): [Section] headers and KEY=VALUE
// lines, section and key names compared without case, the first match wins. Edits change only
// the bytes of the value they set, so comments, order, blank lines, the byte-order mark and the
// file's own line ends survive; a Windows setup that reads the file sees nothing else changed.
#include <string>
#include <string_view>
#include <vector>

#include "common/mac_address.hpp"

namespace castline::imager {

struct SysprepSetting {
    std::string section;
    std::string key;
    std::string value;
    bool operator==(const SysprepSetting&) const = default;
};

// Returns `text` with KEY=VALUE set in [SECTION]: an existing key's value is replaced in place
// (the first one of the first such section), a missing key goes after the last non-blank line of
// its section, a missing section at the end. New lines use the file's line end (CRLF when it has
// any, LF for a file with only LF lines, CRLF for an empty file). Throws
// ImagerError(postconfig_failed) for names or values that cannot be written to an INI line.
std::string set_sysprep_value(std::string_view text, const SysprepSetting& setting);

// Paragon's per-MAC update file: sections named `MAC.SysprepInf.SECTION` (MAC dashed, with colons
// or bare, any case) holding KEY=VALUE lines; `;` starts a comment line. Returns the settings of
// `mac`'s sections in file order, with SECTION as their section. A line that is neither blank, a
// comment, a section header of that form nor KEY=VALUE inside a section throws
// ImagerError(postconfig_failed) naming its line number.
std::vector<SysprepSetting> sysprep_settings_for_mac(std::string_view update_text,
                                                     const MacAddress& mac);

}  // namespace castline::imager
