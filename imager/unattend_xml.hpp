#pragma once
// unattend.xml settings by path: `pass/component/setting[/nested...]` inside
// <unattend xmlns="urn:schemas-microsoft-com:unattend"> -> <settings pass=...> -> <component
// name=...>. The document is edited as a tree (pugixml) and written back with its own
// declaration, comments, namespaces, attributes, whitespace, line ends and encoding, so only the
// settings that were set differ from the file Windows setup would otherwise have read.
#include <string>
#include <string_view>
#include <vector>

namespace castline::imager {

struct UnattendSetting {
    std::string path;  // e.g. specialize/Microsoft-Windows-Shell-Setup/ComputerName
    std::string value;
    bool operator==(const UnattendSetting&) const = default;
};

struct UnattendPath {
    std::string pass;
    std::string component;
    std::vector<std::string> elements;  // the setting, then nested settings
};

// The passes Windows setup runs, as the schema spells them.
extern const std::vector<std::string_view> unattend_passes;

// Splits and checks a setting path; throws ImagerError(postconfig_failed) for an unknown pass or
// fewer than three non-empty parts.
UnattendPath parse_unattend_path(std::string_view path);

// Returns `xml` with every setting applied in order. Each one is set in every component of that
// name in the pass (x86 and amd64 twins alike); at each nested level the first element of that
// name is used. Missing settings elements, components and elements are created; a new component
// carries processorArchitecture="amd64", publicKeyToken="31bf3856ad364e35", language="neutral",
// versionScope="nonSxS" and the wcm and xsi namespace declarations, as Windows' own answer files
// do. Throws ImagerError(postconfig_failed) for malformed XML (with offset and line), a root that
// is not <unattend> in the unattend namespace, an unknown pass, or a setting whose element holds
// other elements.
std::string set_unattend_values(std::string_view xml, const std::vector<UnattendSetting>& settings);

}  // namespace castline::imager
