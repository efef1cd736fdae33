#include "imager/split_file_set.hpp"

#include <algorithm>
#include <cstring>
#include <system_error>

#include "imager/errors.hpp"

namespace castline::imager {

std::filesystem::path part_path(const std::filesystem::path& first, std::size_t part) {
    if (part == 0) return first;
    auto path = first;
    path += ".";  // two appends: GCC 12 warns falsely (-Wrestrict) about "." + to_string(part)
    path += std::to_string(part);
    return path;
}

std::uint64_t part_file_count(std::uint64_t length, std::uint64_t split_size) {
    if (split_size == 0) return 1;
    // Not (length + split_size - 1) / split_size: that wraps for a length near 2^64.
    return length / split_size + (length % split_size != 0);
}

namespace {
// Writing back (or flushing direct writes from the device's cache) while capturing overlaps the
// disk with compression: the final fsync of a 470 MB image otherwise took 0.35 s on its own.
constexpr std::uint64_t kWritebackStep = 32 * 1024 * 1024;
constexpr std::size_t kStageSize = 4 * 1024 * 1024;
}  // namespace

SplitWriter::SplitWriter(std::filesystem::path first, std::uint64_t split_size)
    : first_(std::move(first)), split_size_(split_size) {
    parts_.emplace_back(first_, File::Mode::create_truncate);
    if (split_size_ % direct_io_alignment == 0 && parts_.front().set_direct(true)) {
        stage_.reset(
            static_cast<std::uint8_t*>(std::aligned_alloc(direct_io_alignment, kStageSize)));
        if (stage_)
            flush_ = std::make_unique<BackgroundFlush>();
        else
            parts_.front().set_direct(false);
    }
}

template <typename Fn>
void SplitWriter::for_each_piece(std::uint64_t offset, std::uint64_t length, Fn fn) {
    while (length > 0) {
        std::size_t part = 0;
        std::uint64_t at = offset;
        std::uint64_t room = length;
        if (split_size_ != 0) {
            part = static_cast<std::size_t>(offset / split_size_);
            at = offset % split_size_;
            room = std::min<std::uint64_t>(room, split_size_ - at);
        }
        while (parts_.size() <= part) {
            parts_.emplace_back(part_path(first_, parts_.size()), File::Mode::create_truncate);
            if (stage_) parts_.back().set_direct(true);  // aligned writes work either way
        }
        fn(parts_[part], at, room);
        offset += room;
        length -= room;
    }
}

void SplitWriter::write_pieces(std::uint64_t offset, std::span<const std::uint8_t> data) {
    for_each_piece(offset, data.size(), [&](const File& part, std::uint64_t at, std::uint64_t n) {
        part.write_at(at, data.first(static_cast<std::size_t>(n)));
        data = data.subspan(static_cast<std::size_t>(n));
    });
}

void SplitWriter::flush_stage(std::size_t length) {
    write_pieces(stage_offset_, {stage_.get(), length});
    write_back_until(stage_offset_ + length);
    std::memmove(stage_.get(), stage_.get() + length, staged_ - length);
    staged_ -= length;
    stage_offset_ += length;
}

void SplitWriter::append(std::span<const std::uint8_t> data) {
    if (stage_) {
        while (!data.empty()) {
            const auto n = std::min(data.size(), kStageSize - staged_);
            std::memcpy(stage_.get() + staged_, data.data(), n);
            staged_ += n;
            length_ += n;
            data = data.subspan(n);
            if (staged_ == kStageSize) flush_stage(kStageSize);
        }
        return;
    }
    write_pieces(length_, data);
    length_ += data.size();
    write_back_until(length_);
}

void SplitWriter::write_back_until(std::uint64_t end) {
    if (end - writeback_from_ < kWritebackStep) return;
    for_each_piece(writeback_from_, end - writeback_from_,
                   [&](const File& part, std::uint64_t at, std::uint64_t n) {
                       if (flush_)
                           flush_->request(part);  // direct writes: empty the device's cache
                       else
                           part.start_writeback(at, n);  // buffered: start the page cache's
                   });
    writeback_from_ = end;
}

void SplitWriter::write_start(std::span<const std::uint8_t> data) {
    if (!stage_) {
        parts_.front().write_at(0, data);
    } else if (stage_offset_ == 0 && data.size() <= staged_) {
        std::memcpy(stage_.get(), data.data(), data.size());
    } else {
        pending_start_.assign(data.begin(), data.end());  // written by finish(), buffered
    }
}

void SplitWriter::finish() {
    if (stage_) {
        // The last stage's aligned part directly, its tail and the header through the cache.
        if (const auto aligned = staged_ / direct_io_alignment * direct_io_alignment; aligned > 0)
            flush_stage(aligned);
        for (const auto& part : parts_) part.set_direct(false);
        write_pieces(stage_offset_, {stage_.get(), staged_});
        stage_offset_ += staged_;
        staged_ = 0;
        stage_.reset();
        if (!pending_start_.empty()) parts_.front().write_at(0, pending_start_);
        pending_start_.clear();
        flush_->finish();
    }
    for (const auto& part : parts_) part.sync();
    for (std::size_t k = parts_.size();; ++k) {
        std::error_code ec;
        if (!std::filesystem::remove(part_path(first_, k), ec)) break;
    }
}

SplitReader::SplitReader(std::filesystem::path first) : first_(std::move(first)) {
    std::error_code ec;
    if (!std::filesystem::exists(first_, ec))
        throw bad_image("image " + first_.string() + " does not exist");
    parts_.emplace_back(first_, File::Mode::read);
}

void SplitReader::open_parts(std::uint64_t length, std::uint64_t split_size) {
    split_size_ = split_size;
    length_ = length;
    const auto count = static_cast<std::size_t>(part_file_count(length, split_size));
    for (std::size_t k = 0; k < count; ++k) {
        const auto path = part_path(first_, k);
        if (k >= parts_.size()) {
            std::error_code ec;
            if (!std::filesystem::exists(path, ec))
                throw bad_image("split image part " + path.string() + " is missing (part " +
                                std::to_string(k + 1) + " of " + std::to_string(count) + ")");
            parts_.emplace_back(path, File::Mode::read);
        }
        const std::uint64_t expected =
            split_size == 0 ? length : std::min(split_size, length - k * split_size);
        const auto actual = parts_[k].size();
        if (actual < expected)
            throw bad_image("image truncated: " + path.string() + " has " + std::to_string(actual) +
                            " bytes, expected " + std::to_string(expected));
        if (actual > expected)
            throw bad_image("image part " + path.string() + " has " + std::to_string(actual) +
                            " bytes, expected " + std::to_string(expected) +
                            " (trailing data or a part from another image)");
    }
}

std::size_t SplitReader::read_at(std::uint64_t offset, std::span<std::uint8_t> data) const {
    std::size_t done = 0;
    while (done < data.size()) {
        const std::uint64_t at = offset + done;
        std::size_t part = 0;
        std::uint64_t in_part = at;
        std::uint64_t room = data.size() - done;
        if (split_size_ != 0) {
            part = static_cast<std::size_t>(at / split_size_);
            in_part = at % split_size_;
            room = std::min<std::uint64_t>(room, split_size_ - in_part);
        }
        if (part >= parts_.size()) break;
        const auto n =
            parts_[part].read_at(in_part, data.subspan(done, static_cast<std::size_t>(room)));
        done += n;
        if (n < room) break;
    }
    return done;
}

void SplitReader::read_exact(std::uint64_t offset, std::span<std::uint8_t> data) const {
    if (read_at(offset, data) != data.size())
        throw bad_image("image truncated: cannot read " + std::to_string(data.size()) +
                        " bytes at image offset " + std::to_string(offset));
}

}  // namespace castline::imager
