#include "multicast/file_chunks.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "multicast/byte_io.hpp"
#include "multicast/control.hpp"

namespace castline::multicast {
namespace {

constexpr std::uint32_t manifest_magic = 0x434C666D;  // "CLfm"

std::string errno_text() {
    return std::strerror(errno);
}

bool read_exact(int fd, std::uint8_t* out, std::size_t n, std::uint64_t offset) {
    while (n > 0) {
        const auto got = ::pread(fd, out, n, static_cast<off_t>(offset));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        out += got;
        n -= static_cast<std::size_t>(got);
        offset += static_cast<std::uint64_t>(got);
    }
    return true;
}

}  // namespace

std::uint32_t FileManifest::size_of(std::uint32_t index) const {
    const std::uint64_t start = std::uint64_t{index} * chunk_size;
    if (start >= file_size) return 0;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(chunk_size, file_size - start));
}

std::vector<std::uint8_t> encode_file_manifest(const FileManifest& m) {
    ByteWriter w;
    w.u32(manifest_magic);
    w.u64(m.file_size);
    w.u32(m.chunk_size);
    w.u32(m.chunk_count());
    for (auto c : m.checksums) w.u64(c);
    return w.take();
}

std::variant<FileManifest, std::string> decode_file_manifest(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes);
    FileManifest m;
    const auto magic = r.u32("manifest.magic");
    if (r.ok() && magic != manifest_magic)
        return std::string("manifest.magic: not a castline file manifest");
    m.file_size = r.u64("manifest.file_size");
    m.chunk_size = r.u32("manifest.chunk_size");
    const auto count = r.u32("manifest.chunk_count");
    if (!r.ok()) return r.error();
    if (m.chunk_size == 0 || m.chunk_size > max_chunk_size)
        return "manifest.chunk_size: " + std::to_string(m.chunk_size) + " outside 1.." +
               std::to_string(max_chunk_size);
    // Written so that a file_size near 2^64 cannot wrap around.
    const std::uint64_t expected =
        m.file_size / m.chunk_size + (m.file_size % m.chunk_size != 0 ? 1 : 0);
    if (count != expected)
        return "manifest.chunk_count: " + std::to_string(count) +
               " does not match file_size / chunk_size (" + std::to_string(expected) + ")";
    if (std::size_t{count} * 8 != r.remaining())
        return "manifest.checksums: " + std::to_string(r.remaining()) + " bytes for " +
               std::to_string(count) + " chunks";
    for (std::uint32_t i = 0; i < count; ++i) m.checksums.push_back(r.u64("manifest.checksums"));
    return m;
}

FileChunkSource::FileChunkSource(const std::string& path, std::uint32_t chunk_size) : path_(path) {
    if (chunk_size == 0 || chunk_size > max_chunk_size)
        throw std::runtime_error("chunk size out of range");
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + errno_text());
    struct stat st {};
    if (::fstat(fd_, &st) != 0)
        throw std::runtime_error("cannot stat " + path + ": " + errno_text());
    manifest_.file_size = static_cast<std::uint64_t>(st.st_size);
    manifest_.chunk_size = chunk_size;
    const std::uint64_t count = (manifest_.file_size + chunk_size - 1) / chunk_size;
    if (count > max_chunk_count)
        throw std::runtime_error(path + ": too many chunks; use a larger chunk size");
    for (std::uint32_t i = 0; i < count; ++i) {
        const auto bytes = read_chunk(i);
        manifest_.checksums.push_back(XXH3_64bits(bytes.data(), bytes.size()));
    }
    manifest_bytes_ = encode_file_manifest(manifest_);
}

FileChunkSource::~FileChunkSource() {
    if (fd_ >= 0) ::close(fd_);
}

std::vector<std::uint8_t> FileChunkSource::read_chunk(std::uint32_t index) {
    const std::uint64_t start = std::uint64_t{index} * manifest_.chunk_size;
    const auto size = manifest_.size_of(index);
    std::vector<std::uint8_t> out(size);
    if (size == 0 || !read_exact(fd_, out.data(), size, start))
        throw std::runtime_error(path_ + ": cannot read chunk " + std::to_string(index));
    return out;
}

FileChunkSink::~FileChunkSink() {
    if (fd_ >= 0) ::close(fd_);
}

std::string FileChunkSink::open(std::span<const std::uint8_t> manifest,
                                std::span<const std::uint32_t> chunk_sizes) {
    auto decoded = decode_file_manifest(manifest);
    if (auto* e = std::get_if<std::string>(&decoded)) return *e;
    manifest_ = std::get<FileManifest>(std::move(decoded));
    if (chunk_sizes.size() != manifest_.chunk_count())
        return "chunk table has " + std::to_string(chunk_sizes.size()) + " chunks, manifest " +
               std::to_string(manifest_.chunk_count());
    for (std::uint32_t i = 0; i < chunk_sizes.size(); ++i) {
        if (chunk_sizes[i] != manifest_.size_of(i))
            return "chunk " + std::to_string(i) + ": size " + std::to_string(chunk_sizes[i]) +
                   " does not match the manifest (" + std::to_string(manifest_.size_of(i)) + ")";
    }
    manifest_accepted_ = true;
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return "cannot open " + path_ + ": " + errno_text();
    written_.assign(manifest_.chunk_count(), false);
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return "cannot stat " + path_ + ": " + errno_text();
    // A regular file of the right size may hold a previous partial run: keep what verifies.
    if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) == manifest_.file_size) {
        std::vector<std::uint8_t> buffer;
        for (std::uint32_t i = 0; i < manifest_.chunk_count(); ++i) {
            buffer.resize(manifest_.size_of(i));
            if (read_exact(fd_, buffer.data(), buffer.size(),
                           std::uint64_t{i} * manifest_.chunk_size) &&
                XXH3_64bits(buffer.data(), buffer.size()) == manifest_.checksums[i])
                written_[i] = true;
        }
    } else if (S_ISREG(st.st_mode) &&
               ::ftruncate(fd_, static_cast<off_t>(manifest_.file_size)) != 0) {
        return "cannot size " + path_ + ": " + errno_text();
    }
    return {};
}

SinkResult FileChunkSink::accept(std::uint32_t index, std::span<const std::uint8_t> bytes) {
    if (fd_ < 0) return {SinkResult::Kind::error, "sink is not open"};
    if (index >= manifest_.chunk_count())
        return {SinkResult::Kind::corrupt,
                "chunk " + std::to_string(index) + ": index out of range"};
    if (bytes.size() != manifest_.size_of(index))
        return {SinkResult::Kind::corrupt,
                "chunk " + std::to_string(index) + ": " + std::to_string(bytes.size()) +
                    " bytes, manifest says " + std::to_string(manifest_.size_of(index))};
    if (XXH3_64bits(bytes.data(), bytes.size()) != manifest_.checksums[index])
        return {SinkResult::Kind::corrupt,
                "chunk " + std::to_string(index) + ": checksum mismatch"};
    if (written_[index]) return {};
    const std::uint64_t offset = std::uint64_t{index} * manifest_.chunk_size;
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                                static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            return {SinkResult::Kind::error, "chunk " + std::to_string(index) + ": write to " +
                                                 path_ + " failed: " + errno_text()};
        done += static_cast<std::size_t>(n);
    }
    written_[index] = true;
    return {};
}

std::vector<std::uint32_t> FileChunkSink::missing() const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < written_.size(); ++i) {
        if (!written_[i]) out.push_back(i);
    }
    return out;
}

std::string FileChunkSink::finish() {
    if (fd_ < 0) return "sink is not open";
    if (sync_ && ::fsync(fd_) != 0 && errno != EINVAL)
        return "fsync " + path_ + ": " + errno_text();
    return {};
}

}  // namespace castline::multicast
