#pragma once
// The manifest for people (a short report) and for programs (JSON), for `castline-imager info`.
#include <optional>
#include <string>

#include "imager/image_header.hpp"
#include "imager/manifest.hpp"

namespace castline::imager {

// manifest is empty for an encrypted image opened without its password.
std::string format_info_text(const ImageHeader& header, const Manifest* manifest,
                             std::uint64_t part_count);
std::string format_info_json(const ImageHeader& header, const Manifest* manifest,
                             std::uint64_t part_count);
std::string json_escape(const std::string& text);

}  // namespace castline::imager
