#include "imager/restore.hpp"

#include <exception>
#include <mutex>
#include <thread>

#include "imager/bounded_queue.hpp"
#include "imager/chunk_codec.hpp"
#include "imager/errors.hpp"
#include "imager/image_reader.hpp"
#include "imager/target_writer.hpp"
#include "imager/validate.hpp"

namespace castline::imager {
namespace {

struct StoredChunk {
    std::uint64_t index = 0;
    std::vector<std::uint8_t> stored;
};

// Reads stored chunks in image order (sequential reads) and lets `threads` workers decode and
// write them. The first failure stops every stage; a chunk is written only after it decoded and
// matched its checksums.
void decode_and_write(const ImageReader& reader, TargetWriter& target, int threads,
                      Progress& progress) {
    const auto& chunks = reader.manifest().chunks;
    BoundedQueue<StoredChunk> queue(4);
    std::mutex error_mutex;
    std::exception_ptr error;
    auto fail = [&](std::exception_ptr e) {
        {
            std::lock_guard lock(error_mutex);
            if (!error) error = e;
        }
        queue.close();
    };
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&] {
            try {
                ChunkCodec codec(0, reader.key());
                while (auto item = queue.pop()) {
                    const auto& entry = chunks[item->index];
                    const auto plain = codec.decode(item->index, entry, item->stored);
                    target.write_chunk(entry, plain);
                    progress.add(plain.size());
                }
            } catch (...) {
                fail(std::current_exception());
            }
        });
    try {
        for (std::uint64_t i = 0; i < chunks.size(); ++i)
            if (!queue.push({i, reader.read_stored_chunk(i)})) break;
    } catch (...) {
        fail(std::current_exception());
    }
    queue.close();
    for (auto& w : workers) w.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace

RestoreResult restore(const RestoreOptions& options) {
    ImageReader reader(options.image);
    const auto& manifest = reader.load_manifest(options.password);
    TargetWriter target(options.target, manifest);  // checks the size; writes nothing yet

    if (options.prevalidate) {
        std::uint64_t total = 0;
        for (const auto& c : manifest.chunks) total += c.stored_length;
        Progress progress("validate", total, options.progress);
        validate_stored_chunks(reader, &progress);
        progress.finish();
    }

    RestoreResult result;
    {
        Progress progress("restore", manifest.used_bytes(), options.progress);
        target.begin();
        decode_and_write(reader, target, options.threads, progress);
        result.warnings = target.finish();
        progress.finish();
    }
    result.written_bytes = manifest.used_bytes();
    result.chunks = manifest.chunks.size();

    if (options.verify) {
        Progress progress("verify", manifest.used_bytes(), options.progress);
        for (std::uint64_t i = 0; i < manifest.chunks.size(); ++i) {
            const auto& entry = manifest.chunks[i];
            if (!target.verify_chunk(entry))
                throw io_error("verify: " + describe_chunk(i, entry) +
                               " reads back different from what was written to " +
                               options.target.string());
            progress.add(entry.plain_length);
        }
        if (!target.verify_tables())
            throw io_error("verify: the partition table reads back different on " +
                           options.target.string());
        progress.finish();
        result.verified = true;
    }
    return result;
}

}  // namespace castline::imager
