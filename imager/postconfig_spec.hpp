#pragma once
// The post-config of one host as castlined sends it in a job (docs/postconfig.md): every
// ${variable} already filled, file contents inline. Parsing checks all of it, naming the JSON
// field at fault, so nothing is read from or written to a disk for a spec that cannot work.
#include <string>
#include <string_view>
#include <vector>

#include "imager/sysprep_inf.hpp"
#include "imager/unattend_xml.hpp"

namespace castline::imager {

struct FileDropSpec {
    std::string target;   // path inside the partition
    std::string content;  // decoded bytes
    bool operator==(const FileDropSpec&) const = default;
};

struct PostConfigSpec {
    std::string partition;  // "": the partition holding Windows; digits: number; else a label
    std::string sysprep_path = "Sysprep/sysprep.inf";
    std::vector<SysprepSetting> sysprep;
    std::string sysprep_update;  // text of a Paragon-style per-MAC update file, may be empty
    std::string unattend_path = "Windows/Panther/unattend.xml";
    std::vector<UnattendSetting> unattend;
    std::vector<FileDropSpec> files;
};

// Throws ImagerError(postconfig_failed) as "FIELD: problem" (e.g. "unattend[1].path: ...") for
// malformed JSON, unknown keys, wrong types, paths outside the partition, bad base64.
PostConfigSpec parse_postconfig_spec(std::string_view json);

}  // namespace castline::imager
