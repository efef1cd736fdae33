#pragma once
// The boot tree and generated boot files over HTTP: GET and HEAD, Range, the same path
// confinement and virtual files as TFTP.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "daemon/http_router.hpp"
#include "tftp/boot_path.hpp"
#include "tftp/tftp_server.hpp"
#include "tftp/virtual_files.hpp"

namespace castline::daemon {

// %XX escapes decoded; nothing when an escape is malformed. A decoded NUL stays in the result
// (and the path check refuses it).
std::optional<std::string> percent_decode(std::string_view text);

// One "bytes=FIRST-LAST" / "bytes=FIRST-" / "bytes=-SUFFIX" range (RFC 9110 14.1).
struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // inclusive
};
struct WholeFile {};      // no Range header, or one we serve whole (several ranges, junk)
struct Unsatisfiable {};  // 416
using RangeDecision = std::variant<WholeFile, ByteRange, Unsatisfiable>;
RangeDecision parse_range(std::string_view header, std::uint64_t size);

// The handler to register for GET on "/". A request for a file in `served_files` (the files the
// site config serves; may be null) that is missing is logged as a warning.
HttpHandler boot_files_handler(std::shared_ptr<const tftp::BootRoot> root,
                               std::shared_ptr<const tftp::VirtualFiles> virtual_files,
                               std::shared_ptr<const tftp::ServedFileNames> served_files = nullptr);

}  // namespace castline::daemon
