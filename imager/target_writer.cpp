#include "imager/target_writer.hpp"

#include "imager/gpt_relocate.hpp"

#include <algorithm>
#include <system_error>

#include "imager/checksum.hpp"
#include "imager/errors.hpp"
#include "imager/restore_plan.hpp"

namespace castline::imager {

TargetWriter::TargetWriter(const std::filesystem::path& target, const Manifest& manifest)
    : path_(target), manifest_(manifest) {
    std::error_code ec;
    if (std::filesystem::exists(target, ec)) {
        file_ = File(target, File::Mode::write_existing);
        size_ = file_.size();
    } else {
        create_ = true;
        size_ = manifest.disk_size;
    }
    check_target_fits(manifest, size_);
    deferred_ = deferred_ranges(manifest, size_);
}

void TargetWriter::begin() {
    if (create_) {
        file_ = File(path_, File::Mode::read_write_create);
        file_.truncate(size_);
    }
    for (const auto& r : deferred_) file_.zero_range(r.offset, r.length);
    std::vector<Extent> zeros;
    for (const auto& z : manifest_.zero_extents) {
        if (z.offset >= size_) continue;
        zeros.push_back({z.offset, std::min(z.length, size_ - z.offset)});
    }
    for (const auto& z : subtract_ranges(zeros, deferred_)) file_.zero_range(z.offset, z.length);
    // Zero extents inside deferred ranges are already zero: the wipe above did them.
}

void TargetWriter::write_now_or_later(std::uint64_t offset, std::span<const std::uint8_t> data) {
    const std::uint64_t end = offset + data.size();
    // First deferred range that ends after offset.
    auto it = std::upper_bound(
        deferred_.begin(), deferred_.end(), offset,
        [](std::uint64_t at, const Extent& r) { return at < r.offset + r.length; });
    std::uint64_t at = offset;
    for (; it != deferred_.end() && it->offset < end; ++it) {
        if (it->offset > at) {
            file_.write_at(at, data.subspan(at - offset, it->offset - at));
            at = it->offset;
        }
        const auto held_end = std::min(end, it->offset + it->length);
        TableRegion held;
        held.offset = at;
        held.bytes.assign(data.begin() + static_cast<long>(at - offset),
                          data.begin() + static_cast<long>(held_end - offset));
        {
            std::lock_guard lock(pending_mutex_);
            pending_.push_back(std::move(held));
        }
        at = held_end;
    }
    if (at < end) file_.write_at(at, data.subspan(at - offset));
}

void TargetWriter::write_chunk(const ChunkEntry& entry, std::span<const std::uint8_t> plain) {
    std::size_t at = 0;
    for (const auto& piece : entry.pieces) {
        const auto length = static_cast<std::size_t>(piece.length);
        if (piece.offset < size_) {
            const auto fits =
                static_cast<std::size_t>(std::min<std::uint64_t>(length, size_ - piece.offset));
            write_now_or_later(piece.offset, plain.subspan(at, fits));
        }
        at += length;
    }
}

std::vector<std::string> TargetWriter::finish() {
    std::vector<std::string> warnings;
    for (const auto& p : pending_) file_.write_at(p.offset, p.bytes);
    pending_.clear();
    tables_ = table_for_target(manifest_, size_, warnings);
    for (const auto& t : tables_) file_.write_at(t.offset, t.bytes);
    file_.sync();
    if (manifest_.table == TableKind::gpt && size_ != manifest_.disk_size) {
        const std::uint64_t rewritten_end = 2ull * manifest_.sector_size;
        // The image's own protective MBR and primary header, for verify_chunk: relocation
        // rewrites them to describe the new size.
        head_before_relocation_.resize(static_cast<std::size_t>(rewritten_end));
        file_.read_exact(0, head_before_relocation_);
        relocate_gpt_file(path_, manifest_.sector_size);
        // The protective MBR and primary header now describe the new size; verify the rest.
        std::erase_if(tables_, [&](const TableRegion& t) { return t.offset < rewritten_end; });
    }
    return warnings;
}

bool TargetWriter::verify_chunk(const ChunkEntry& entry) const {
    Xxh3Stream hash;
    std::vector<std::uint8_t> buffer;
    for (const auto& piece : entry.pieces) {
        if (piece.offset + piece.length > size_) return false;
        buffer.resize(static_cast<std::size_t>(piece.length));
        file_.read_exact(piece.offset, buffer);
        // Bytes that GPT relocation rewrote on purpose are checked as the image had them.
        for (std::uint64_t at = piece.offset;
             at < head_before_relocation_.size() && at < piece.offset + piece.length; ++at)
            buffer[static_cast<std::size_t>(at - piece.offset)] =
                head_before_relocation_[static_cast<std::size_t>(at)];
        hash.update(buffer);
    }
    return hash.digest() == entry.plain_checksum;
}

bool TargetWriter::verify_tables() const {
    std::vector<std::uint8_t> buffer;
    for (const auto& t : tables_) {
        buffer.resize(t.bytes.size());
        file_.read_exact(t.offset, buffer);
        if (buffer != t.bytes) return false;
    }
    return true;
}

}  // namespace castline::imager
