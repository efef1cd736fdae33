#include "imager/partition_files.hpp"

#include "imager/errors.hpp"

namespace castline::imager {

std::string PartitionPath::text() const {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
}

std::string partition_description(const Partition& partition) {
    const char* kind = partition.file_system == FileSystemKind::ntfs  ? "NTFS"
                       : partition.file_system == FileSystemKind::ext ? "ext"
                       : partition.file_system == FileSystemKind::fat ? "FAT"
                                                                      : "unknown file system";
    return (partition.number == 0 ? std::string("the whole disk")
                                  : "partition " + std::to_string(partition.number)) +
           " (" + kind + ")";
}

PartitionPath split_partition_path(std::string_view path) {
    const std::string quoted = "path \"" + std::string(path) + "\"";
    if (path.find('\0') != std::string_view::npos) throw postconfig_failed("path holds a NUL byte");
    if (path.find('\\') != std::string_view::npos)
        throw postconfig_failed(quoted + " holds a backslash; separate folders with '/'");
    if (path.size() >= 2 && path[1] == ':')
        throw postconfig_failed(quoted + " names a drive; give a path inside the partition");
    PartitionPath out;
    std::size_t at = 0;
    while (at <= path.size()) {
        const auto slash = std::min(path.find('/', at), path.size());
        const auto part = path.substr(at, slash - at);
        if (part == "..")
            throw postconfig_failed(quoted +
                                    " climbs out with \"..\"; give a path inside the "
                                    "partition");
        if (!part.empty() && part != ".") out.parts.emplace_back(part);
        at = slash + 1;
    }
    if (out.parts.empty()) throw postconfig_failed(quoted + " names no file");
    return out;
}

std::unique_ptr<PartitionFiles> open_partition_files(const std::filesystem::path& disk,
                                                     const Partition& partition, bool writable) {
    switch (partition.file_system) {
        case FileSystemKind::ntfs:
            return open_ntfs_files(disk, partition, writable);
        case FileSystemKind::ext:
            return open_ext_files(disk, partition, writable);
        case FileSystemKind::fat:
            return open_fat_files(disk, partition, writable);
        default:
            throw postconfig_failed(partition_description(partition) +
                                    ": post-config writes only ext2/3/4, NTFS and FAT");
    }
}

}  // namespace castline::imager
