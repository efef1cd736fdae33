#pragma once
// One post-config pass over any small disk image (tests/fuzz/sparse_image.hpp) as a partition of
// the given file system, as the imager makes it: open read-only and read, then open writable,
// write a file into new folders and over an existing one, and read it back. Every failure must
// be an ImagerError naming the partition, never a crash.
#include <cstdint>
#include <string>

#include "imager/errors.hpp"
#include "imager/partition_files.hpp"
#include "tests/fuzz/sparse_image.hpp"

namespace castline::fuzz {

inline void exercise_partition_files(imager::FileSystemKind kind, const std::uint8_t* data,
                                     std::size_t size) {
    using namespace castline::imager;
    static SparseImage image;
    Partition partition;
    partition.number = 1;
    partition.file_system = kind;
    partition.length = image.load(data, size);
    const auto hello = split_partition_path("hello.txt");
    const auto unattend = split_partition_path("Windows/Panther/unattend.xml");
    try {
        auto files = open_partition_files(image.path(), partition, false);
        (void)files->label();
        (void)files->exists(unattend);
        (void)files->read_file(hello);
    } catch (const ImagerError&) {
    }
    try {
        auto files = open_partition_files(image.path(), partition, true);
        files->write_file(unattend, "<unattend/>\n");
        files->write_file(hello, std::string(3000, 'h'));
        (void)files->read_file(unattend);
    } catch (const ImagerError&) {
    }
}

}  // namespace castline::fuzz
