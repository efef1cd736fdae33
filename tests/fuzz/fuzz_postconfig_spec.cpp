// Any bytes as the post-config JSON castlined sends: a spec whose paths are all inside the
// partition, or an ImagerError.
#include <cstdint>
#include <string_view>

#include "imager/errors.hpp"
#include "imager/partition_files.hpp"
#include "imager/postconfig_spec.hpp"

using namespace castline::imager;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto spec =
            parse_postconfig_spec(std::string_view(reinterpret_cast<const char*>(data), size));
        for (const auto& f : spec.files)
            for (const auto& part : split_partition_path(f.target).parts)
                if (part == ".." || part.empty()) __builtin_trap();
    } catch (const ImagerError&) {
    }
    return 0;
}
