#include "imager/validate.hpp"

#include "imager/chunk_codec.hpp"
#include "imager/errors.hpp"

namespace castline::imager {

void validate_stored_chunks(const ImageReader& reader, Progress* progress) {
    const auto& chunks = reader.manifest().chunks;
    for (std::uint64_t i = 0; i < chunks.size(); ++i) {
        const auto stored = reader.read_stored_chunk(i);
        if (!stored_checksum_matches(chunks[i], stored))
            throw bad_image(describe_chunk(i, chunks[i]) + ": checksum mismatch");
        if (progress) progress->add(chunks[i].stored_length);
    }
}

ValidateResult validate(const ValidateOptions& options) {
    ImageReader reader(options.image);
    const auto& manifest = reader.load_manifest(options.password);
    ValidateResult result;
    result.chunks = manifest.chunks.size();
    if (options.stored_only) {
        std::uint64_t total = 0;
        for (const auto& c : manifest.chunks) total += c.stored_length;
        Progress progress("validate", total, options.progress);
        validate_stored_chunks(reader, &progress);
        progress.finish();
        return result;
    }
    Progress progress("validate", manifest.used_bytes(), options.progress);
    ChunkCodec codec(0, reader.key());
    for (std::uint64_t i = 0; i < manifest.chunks.size(); ++i) {
        const auto plain = codec.decode(i, manifest.chunks[i], reader.read_stored_chunk(i));
        result.plain_bytes += plain.size();
        progress.add(plain.size());
    }
    progress.finish();
    return result;
}

}  // namespace castline::imager
