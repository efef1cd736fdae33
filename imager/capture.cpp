#include "imager/capture.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

#include "common/duration.hpp"
#include "imager/bounded_queue.hpp"
#include "imager/chunk_codec.hpp"
#include "imager/errors.hpp"
#include "imager/file_io.hpp"
#include "imager/image_header.hpp"
#include "imager/manifest.hpp"
#include "imager/split_file_set.hpp"

#ifndef CASTLINE_VERSION
#define CASTLINE_VERSION "0"
#endif

namespace castline::imager {
namespace {

constexpr std::size_t kReadSize = 8 * 1024 * 1024;
constexpr std::size_t kQueueDepth = 4;
constexpr std::uint64_t kReorderWindow = 8;

bool all_zero(const std::uint8_t* data, std::size_t n) {
    // Word-wise OR that the compiler vectorises; n is a multiple of 8 except at a disk's end.
    std::uint64_t acc = 0;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, 8);
        acc |= word;
    }
    for (; i < n; ++i) acc |= data[i];
    return acc == 0;
}

void add_extent(std::vector<Extent>& list, std::uint64_t offset, std::uint64_t length) {
    if (!list.empty() && list.back().offset + list.back().length == offset)
        list.back().length += length;
    else
        list.push_back({offset, length});
}

// Compresses chunks on worker threads and hands them to the writer in index order, with a
// bounded number in flight so memory stays flat whatever the disk size.
class EncodePipeline {
  public:
    using Sink = std::function<void(EncodedChunk&&)>;
    EncodePipeline(int threads, int level, const std::optional<std::array<std::uint8_t, 32>>& key,
                   Sink sink)
        : queue_(kQueueDepth), sink_(std::move(sink)) {
        for (int t = 0; t < threads; ++t)
            workers_.emplace_back([this, level, key] { work(level, key); });
        writer_ = std::thread([this] { write(); });
    }
    ~EncodePipeline() { stop(); }

    void push(PlainChunk&& chunk) {
        if (!queue_.push(std::move(chunk))) rethrow();
        ++pushed_;
    }
    // Waits for every chunk to be written; rethrows the first failure of any stage.
    void finish() {
        queue_.close();
        for (auto& w : workers_) w.join();
        workers_.clear();
        {
            std::lock_guard lock(mutex_);
            inputs_done_ = true;
        }
        changed_.notify_all();
        if (writer_.joinable()) writer_.join();
        rethrow();
    }

  private:
    void fail(std::exception_ptr error) {
        {
            std::lock_guard lock(mutex_);
            if (!error_) error_ = error;
            aborted_ = true;
        }
        queue_.close();
        changed_.notify_all();
    }
    void rethrow() {
        std::lock_guard lock(mutex_);
        if (error_) std::rethrow_exception(error_);
    }
    void stop() {
        fail(nullptr);
        for (auto& w : workers_) w.join();
        if (writer_.joinable()) writer_.join();
    }
    void work(int level, std::optional<std::array<std::uint8_t, 32>> key) {
        try {
            ChunkCodec codec(level, key);
            while (auto chunk = queue_.pop()) {
                const auto index = chunk->index;
                auto encoded = codec.encode(*chunk);
                chunk->data = {};
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] { return aborted_ || index < next_ + kReorderWindow; });
                if (aborted_) return;
                done_.emplace(index, std::move(encoded));
                changed_.notify_all();
            }
        } catch (...) {
            fail(std::current_exception());
        }
    }
    void write() {
        try {
            for (;;) {
                EncodedChunk chunk;
                {
                    std::unique_lock lock(mutex_);
                    changed_.wait(lock, [&] {
                        return aborted_ || done_.count(next_) || (inputs_done_ && next_ == pushed_);
                    });
                    if (aborted_ || !done_.count(next_)) return;
                    auto node = done_.extract(next_);
                    chunk = std::move(node.mapped());
                }
                sink_(std::move(chunk));
                {
                    std::lock_guard lock(mutex_);
                    ++next_;
                }
                changed_.notify_all();
            }
        } catch (...) {
            fail(std::current_exception());
        }
    }

    BoundedQueue<PlainChunk> queue_;
    Sink sink_;
    std::vector<std::thread> workers_;
    std::thread writer_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::uint64_t, EncodedChunk> done_;
    std::uint64_t next_ = 0;
    std::atomic<std::uint64_t> pushed_{0};
    bool inputs_done_ = false;
    bool aborted_ = false;
    std::exception_ptr error_;
};

}  // namespace

std::vector<Extent> stored_regions(const DiskLayout& layout) {
    if (layout.partitions.empty()) return {{0, layout.size}};
    std::vector<Extent> regions;
    std::uint64_t first = layout.size;
    for (const auto& p : layout.partitions) first = std::min(first, p.offset);
    regions.push_back({0, first});  // MBR gap: boot loaders live here
    for (const auto& p : layout.partitions) {
        if (p.whole)
            regions.push_back({p.offset, p.length});
        else
            regions.insert(regions.end(), p.used.begin(), p.used.end());
    }
    for (auto& r : regions) {
        if (r.offset >= layout.size) r.length = 0;
        r.length = std::min(r.length, layout.size - std::min(layout.size, r.offset));
    }
    return merge_extents(std::move(regions));
}

CaptureResult capture(const CaptureOptions& options) {
    if (options.description.size() > 0xFFFF ||
        std::count_if(options.description.begin(), options.description.end(), [](char c) {
            return (c & 0xC0) != 0x80;
        }) > static_cast<long>(kMaxDescriptionCharacters))
        throw ImagerError(ExitCode::bad_usage, "the description is longer than 511 characters");
    if (options.level < 1 || options.level > 19)
        throw ImagerError(ExitCode::bad_usage, "compression level must be 1..19");
    if (options.split_size != 0 && options.split_size < 1024 * 1024)
        throw ImagerError(ExitCode::bad_usage, "split size must be at least 1 MiB");
    // An image is often the only copy of a machine: replacing one takes an explicit --force.
    if (std::error_code ec; !options.overwrite && std::filesystem::exists(options.output, ec))
        throw ImagerError(ExitCode::bad_usage, "capture: " + options.output.string() +
                                                   " already exists; give --force to overwrite it");

    CaptureResult result;
    const File source(options.source, File::Mode::read);
    DiskLayout layout = layout_for_capture(options.source, options.raw, options.fallback_to_whole);
    result.warnings = layout.warnings;

    Manifest manifest;
    manifest.disk_size = layout.size;
    manifest.sector_size = layout.sector_size;
    manifest.table = layout.table;
    manifest.created = static_cast<std::int64_t>(std::time(nullptr));
    manifest.tool_version = std::string("castline-imager ") + CASTLINE_VERSION;
    manifest.description = options.description;
    manifest.chunker = options.chunker;
    manifest.compression_level = options.level;
    manifest.partitions = layout.partitions;
    manifest.warnings = layout.warnings;
    for (const auto& region : layout.table_regions) {
        TableRegion t;
        t.offset = region.offset;
        t.bytes.resize(static_cast<std::size_t>(region.length));
        source.read_exact(region.offset, t.bytes);
        manifest.table_regions.push_back(std::move(t));
    }

    ImageHeader header;
    std::optional<std::array<std::uint8_t, 32>> key;
    if (options.password) {
        check_password(*options.password);
        header.encrypted = true;
        header.kdf_iterations = options.kdf_iterations;
        header.salt = random_salt();
        const auto derived = derive_key(*options.password, header.salt, header.kdf_iterations);
        header.key_check = derived.check;
        key = derived.key;
    }
    header.split_size = options.split_size;

    SplitWriter out(options.output, options.split_size);
    out.append(serialize_header(header));  // incomplete until the final header replaces it

    const auto regions = stored_regions(layout);
    std::uint64_t total = 0;
    for (const auto& r : regions) total += r.length;
    Progress progress("capture", total, options.progress);

    EncodePipeline pipeline(options.threads, options.level, key, [&](EncodedChunk&& chunk) {
        ChunkHeader ch;
        ch.index = manifest.chunks.size();
        ch.stored_length = chunk.entry.stored_length;
        ch.plain_length = chunk.entry.plain_length;
        ch.encrypted = header.encrypted;
        chunk.entry.offset = out.length();
        out.append(serialize_chunk_header(ch));
        out.append(chunk.stored);
        manifest.chunks.push_back(std::move(chunk.entry));
    });
    StreamChunker chunker(options.chunker, [&](PlainChunk&& c) { pipeline.push(std::move(c)); });

    std::vector<std::uint8_t> buffer(kReadSize);
    for (const auto& region : regions) {
        std::uint64_t at = region.offset;
        const std::uint64_t end = region.offset + region.length;
        while (at < end) {
            const auto n = static_cast<std::size_t>(
                std::min<std::uint64_t>(kReadSize - at % kZeroBlockSize, end - at));
            source.read_exact(at, {buffer.data(), n});
            // Split at absolute 64 KiB boundaries; feed runs of non-zero blocks in one call.
            std::size_t run_start = 0;
            std::size_t i = 0;
            while (i < n) {
                const auto block = static_cast<std::size_t>(
                    std::min<std::uint64_t>(kZeroBlockSize - (at + i) % kZeroBlockSize, n - i));
                if (all_zero(buffer.data() + i, block)) {
                    if (i > run_start)
                        chunker.feed(at + run_start, {buffer.data() + run_start, i - run_start});
                    add_extent(manifest.zero_extents, at + i, block);
                    run_start = i + block;
                }
                i += block;
            }
            if (n > run_start)
                chunker.feed(at + run_start, {buffer.data() + run_start, n - run_start});
            at += n;
            result.read_bytes += n;
            progress.add(n);
        }
    }
    chunker.finish();
    pipeline.finish();
    progress.finish();

    auto body = serialize_manifest(manifest);
    if (key) {
        ImageCipher cipher(*key);
        body = cipher.seal(ImageCipher::Domain::manifest, 0, header.manifest_aad(), body);
    }
    if (body.size() > kMaxManifestSize)
        throw io_error("cannot capture " + options.source.string() + ": its manifest of " +
                       size_text(body.size()) + " (" + std::to_string(manifest.chunks.size()) +
                       " chunks) is larger than the 48 MiB an image may hold; capture with "
                       "larger chunks (--chunk-size)");
    header.manifest_offset = out.length();
    header.manifest_length = body.size();
    header.manifest_checksum = xxh3_128(body);
    out.append(body);
    header.image_length = out.length();
    out.write_start(serialize_header(header));
    out.finish();

    result.stored_plain = manifest.used_bytes();
    result.image_bytes = header.image_length;
    result.chunks = manifest.chunks.size();
    return result;
}

}  // namespace castline::imager
