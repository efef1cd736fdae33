#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace castline::bootmedia {

// The files a dynamically linked program needs at run time, from the output of `ldd PROGRAM`:
// every resolved shared library and the dynamic loader, as absolute paths, in ldd's order.
// The kernel-provided vDSO is skipped; a static program ("not a dynamic executable",
// "statically linked") needs nothing. Throws BootmediaError naming each library ldd could not
// find.
std::vector<std::string> parse_ldd_output(std::string_view output);

}  // namespace castline::bootmedia
