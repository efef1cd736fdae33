// Where capture gets its disk layout. The used-block readers (imager/disk_layout.cpp and its
// helpers) are built in when present; CMake defines CASTLINE_IMAGER_HAVE_LAYOUT_READER then.
#include "imager/capture.hpp"
#include "imager/errors.hpp"
#include "imager/file_io.hpp"

namespace castline::imager {

bool layout_reader_available() {
#ifdef CASTLINE_IMAGER_HAVE_LAYOUT_READER
    return true;
#else
    return false;
#endif
}

DiskLayout layout_for_capture(const std::filesystem::path& source, bool raw,
                              bool fallback_to_whole) {
#ifdef CASTLINE_IMAGER_HAVE_LAYOUT_READER
    if (!raw) {
        LayoutOptions options;
        options.fallback_to_whole = fallback_to_whole;
        try {
            return read_disk_layout(source, options);
        } catch (const LayoutError& e) {
            throw io_error(std::string("cannot capture ") + source.string() + ": " + e.what());
        }
    }
#endif
    (void)fallback_to_whole;
    const File disk(source, File::Mode::read);
    DiskLayout layout;
    layout.size = disk.size();
    layout.sector_size = disk.logical_sector_size();
    if (!raw)
        layout.warnings.push_back(
            "this build has no used-block readers: the whole disk is stored (all-zero blocks "
            "skipped)");
    return layout;
}

}  // namespace castline::imager
